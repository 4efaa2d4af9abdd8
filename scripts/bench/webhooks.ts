// Outbound webhooks (issue 8): one api process and one worker process (built dist) on a
// throwaway Redis; a receiver HTTP server in this process answers 200 to every POST after
// checking its x-switchboard-signature (WEBHOOK_ALLOW_PRIVATE_URLS=true: it is on loopback).
// The business events are real traffic: POST /v1/rooms/:id/join and …/leave over HTTP
// publish room.member.joined / room.member.left (order key room:<id>: one lane per room for
// the one endpoint subscribed to both). Each room's requests go one after the other (the
// next is sent once the previous answered), so each room's publish order is known here.
//   1. latency: BENCH_RATE events/s for BENCH_SECONDS spread over BENCH_ROOMS rooms;
//      join/leave request sent → signed delivery received: p50/p99/max (one clock: this
//      process). Every delivery's signature is checked; duplicates (same event id twice)
//      and out-of-order deliveries (an earlier event of a room after a later one) are counted.
//   2. throughput at saturation: the webhooks queue is paused, BENCH_BURST events are
//      published into 1 room (one lane), then into BENCH_LANES rooms; the queue resumes;
//      deliveries received per second, against bare BullMQ no-op jobs with the worker's
//      concurrency on the same Redis (as dispatch.ts), and a bare one-job-at-a-time chain
//      (each job adds the next: what one lane has to do at least).
//   BENCH_RATE (200) BENCH_SECONDS (10) BENCH_ROOMS (50) BENCH_BURST (5000) BENCH_LANES (200)
import { createServer } from 'node:http';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { verifyWebhook } from '../../src/modules/webhooks/signing.js';
import { createBenchApp, freePort, json, paced, pool, sleep, startRedis, startServerProc, startWorkerProc } from './lib/harness.js';
import { cpuMeter, fmt, printTable, summary } from './lib/stats.js';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROOMS = Number(process.env.BENCH_ROOMS ?? 50);
const BURST = Number(process.env.BENCH_BURST ?? 5000);
const LANES = Number(process.env.BENCH_LANES ?? 200);
const CONCURRENCY = 50; // WORKER_CONCURRENCY default, for the worker and the bare baseline
const ADMIN = 'bench-admin-token-0123456789';
const EVENTS = ['room.member.joined', 'room.member.left'] as const;

/** What was sent for one event, found again by the delivery's (roomId, type, uid). */
interface Sent {
  phase: string;
  room: string;
  step: number;
  sentAt: number;
  answeredAt?: number;
  deliveredAt?: number;
  publishedToDelivered?: number;
}

// ── the receiver ────────────────────────────────────────────────────────────
let secret = '';
const expected = new Map<string, Sent>();
const seenIds = new Set<string>();
const lastStep = new Map<string, number>();
const counts = { received: 0, badSignature: 0, duplicates: 0, outOfOrder: 0, unexpected: 0 };
const delivered: Record<string, { n: number; last: number }> = {};
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = performance.now();
    const now = Date.now();
    const raw = Buffer.concat(chunks).toString('utf8');
    counts.received++;
    if (!verifyWebhook(secret, req.headers['x-switchboard-signature'] as string | undefined, raw)) counts.badSignature++;
    const body = JSON.parse(raw) as { id: string; type: string; time: string; data: { roomId: string; uid: string } };
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (seenIds.has(body.id)) return void counts.duplicates++;
    seenIds.add(body.id);
    const s = expected.get(`${body.data.roomId}|${body.type}|${body.data.uid}`);
    if (!s) return void counts.unexpected++;
    s.deliveredAt = at;
    s.publishedToDelivered = now - Date.parse(body.time);
    const d = (delivered[s.phase] ??= { n: 0, last: 0 });
    d.n++;
    d.last = at;
    if (s.step < (lastStep.get(s.room) ?? -1)) counts.outOfOrder++;
    lastStep.set(s.room, Math.max(s.step, lastStep.get(s.room) ?? -1));
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/switchboard`;

const redis = await startRedis();
const env = {
  REDIS_URL: redis.url,
  ADMIN_TOKEN: ADMIN,
  KEY_PREFIX: 'bwh',
  QUEUE_PREFIX: 'bwhq',
  LOG_LEVEL: 'warn',
  PORT: String(await freePort()),
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WORKER_CONCURRENCY: String(CONCURRENCY),
  ROOM_MEMBER_TIMEOUT_MS: '3600000',
};
const api = await startServerProc('switchboard', env);
const worker = await startWorkerProc(env);
const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
const webhooksQueue = new Queue('webhooks', { connection: conn, prefix: env.QUEUE_PREFIX });

try {
  const perRoomLatency = Math.ceil((RATE * SECONDS) / ROOMS);
  const users = Math.ceil(Math.max(perRoomLatency, BURST, Math.ceil(BURST / LANES)) / 2);
  process.stdout.write(
    `webhooks: ${RATE} events/s for ${SECONDS} s over ${ROOMS} rooms; saturation ${BURST} events in 1 lane and in ${LANES} lanes; one api + one worker process (concurrency ${CONCURRENCY}); node ${process.version}\n`,
  );
  const { appid, basic, token } = await createBenchApp(api.url, ADMIN);
  const ep = await json<{ secret: string }>(`${api.url}/v1/apps/${appid}/webhooks`, {
    method: 'POST',
    headers: { authorization: basic },
    body: JSON.stringify({ url: hookUrl, events: EVENTS }),
  });
  secret = ep.secret;
  const host = await token('host');
  const tokens = await pool(
    Array.from({ length: users }, (_, i) => i),
    16,
    (i) => token(`m${i}`),
  );
  const createRooms = (n: number) =>
    pool(
      Array.from({ length: n }, () => 0),
      16,
      async () =>
        (await json<{ roomId: string }>(`${api.url}/v1/rooms`, { method: 'POST', headers: { authorization: `Bearer ${host}` }, body: '{}' })).roomId,
    );

  /** Step 2k of a room: m<k> joins; step 2k+1: m<k> leaves. Records what the delivery will carry. */
  async function trigger(phase: string, room: string, step: number): Promise<void> {
    const k = step >> 1;
    const leave = step % 2 === 1;
    const s: Sent = { phase, room, step, sentAt: performance.now() };
    expected.set(`${room}|${EVENTS[leave ? 1 : 0]}|m${k}`, s);
    await json(`${api.url}/v1/rooms/${room}/${leave ? 'leave' : 'join'}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[k]}` },
      body: '{}',
    });
    s.answeredAt = performance.now();
  }
  const until = async (done: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!done() && Date.now() < deadline) await sleep(10);
  };
  /** CPU % of each process (of one core) since `from`, over `seconds`. */
  const meter = cpuMeter({ api: api.pid, worker: worker.pid, redis: redis.pid, bench: process.pid });
  type Procs = 'api' | 'worker' | 'redis' | 'bench';
  const cpuNow = meter.read;
  const cpuSince = (from: Record<Procs, number>, seconds: number) =>
    Object.fromEntries(Object.entries(meter.percent(from, meter.read(), seconds)).map(([k, v]) => [k, fmt(v as number)])) as Record<Procs, string>;
  const phaseRows = (phase: string) => [...expected.values()].filter((s) => s.phase === phase);

  // ── 1. latency at a fixed rate ────────────────────────────────────────────
  const rooms = await createRooms(ROOMS);
  const total = RATE * SECONDS;
  const chains = rooms.map(() => Promise.resolve());
  const failures: unknown[] = [];
  const t0 = performance.now();
  const cpu0 = cpuNow();
  const sendSeconds = await paced(RATE, total, (from, to) => {
    for (let i = from; i < to; i++) {
      const r = i % ROOMS;
      chains[r] = chains[r]!.then(() => trigger('latency', rooms[r]!, Math.floor(i / ROOMS))).catch((err) => void failures.push(err));
    }
  });
  await Promise.all(chains);
  await until(() => (delivered.latency?.n ?? 0) >= total, 30_000);
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSince(cpu0, wall);
  if (failures.length) throw new Error(`${failures.length} join/leave requests failed: ${String(failures[0])}`);
  const rows = phaseRows('latency');
  const got = rows.filter((s) => s.deliveredAt !== undefined);
  const lat = summary(got.map((s) => s.deliveredAt! - s.sentAt));
  const answer = summary(rows.map((s) => s.answeredAt! - s.sentAt));
  const pub = summary(got.map((s) => s.publishedToDelivered!));
  printTable(`join/leave request sent → signed webhook received, ${RATE} events/s for ${SECONDS} s over ${ROOMS} rooms (lanes)`, [
    {
      path: 'request sent → HTTP answer (event published)',
      events: rows.length,
      'p50 ms': fmt(answer.p50, 2),
      'p99 ms': fmt(answer.p99, 2),
      'max ms': fmt(answer.max, 1),
    },
    { path: 'request sent → delivery received', events: got.length, 'p50 ms': fmt(lat.p50, 2), 'p99 ms': fmt(lat.p99, 2), 'max ms': fmt(lat.max, 1) },
    {
      path: 'published (body `time`, ms) → delivery received',
      events: got.length,
      'p50 ms': fmt(pub.p50, 0),
      'p99 ms': fmt(pub.p99, 0),
      'max ms': fmt(pub.max, 0),
    },
  ]);
  printTable('latency run: correctness and CPU', [
    {
      'send rate/s': fmt(total / sendSeconds, 0),
      received: counts.received,
      'bad signatures': counts.badSignature,
      duplicates: counts.duplicates,
      'out of order': counts.outOfOrder,
      missing: rows.length - got.length,
      unexpected: counts.unexpected,
      'api CPU %': cpu.api,
      'worker CPU %': cpu.worker,
      'redis CPU %': cpu.redis,
      'bench (load + receiver) CPU %': cpu.bench,
    },
  ]);

  // ── 2. throughput at saturation: one lane vs many, vs bare BullMQ ─────────
  async function burst(phase: string, lanes: number): Promise<{ n: number; seconds: number; cpu: Record<Procs, string> }> {
    const laneRooms = await createRooms(lanes);
    const perRoom = Math.ceil(BURST / lanes);
    await webhooksQueue.pause();
    await pool(laneRooms, 64, async (room, r) => {
      for (let step = 0; step < perRoom && r * perRoom + step < BURST; step++) await trigger(phase, room, step);
    });
    const n = phaseRows(phase).length;
    const start = performance.now();
    const c0 = cpuNow();
    await webhooksQueue.resume();
    await until(() => (delivered[phase]?.n ?? 0) >= n, 120_000);
    const seconds = ((delivered[phase]?.last ?? NaN) - start) / 1000;
    return { n: delivered[phase]?.n ?? 0, seconds, cpu: cpuSince(c0, (performance.now() - start) / 1000) };
  }
  const one = await burst('one lane', 1);
  const many = await burst('many lanes', LANES);

  const bareConn = new Redis(redis.url, { maxRetriesPerRequest: null });
  async function bare(name: string, concurrency: number, chained: boolean): Promise<{ n: number; seconds: number }> {
    const q = new Queue(name, { connection: conn, prefix: env.QUEUE_PREFIX });
    const opts = { removeOnComplete: true };
    await q.pause();
    if (chained) await q.add('noop', { i: 0 }, opts);
    else
      for (let i = 0; i < BURST; i += 1000)
        await q.addBulk(Array.from({ length: Math.min(1000, BURST - i) }, (_, j) => ({ name: 'noop', data: { i: i + j }, opts })));
    let done = 0;
    let last = 0;
    const wConn = bareConn.duplicate();
    const w = new Worker(
      name,
      async (job) => {
        if (chained && job.data.i + 1 < BURST) await q.add('noop', { i: job.data.i + 1 }, opts);
      },
      { connection: wConn, prefix: env.QUEUE_PREFIX, concurrency },
    );
    w.on('completed', () => {
      done++;
      last = performance.now();
    });
    await w.waitUntilReady();
    const start = performance.now();
    await q.resume();
    await until(() => done >= BURST, 120_000);
    await w.close();
    wConn.disconnect();
    await q.close();
    return { n: done, seconds: (last - start) / 1000 };
  }
  const bareMany = await bare('bench-noop', CONCURRENCY, false);
  const bareChain = await bare('bench-noop-chain', CONCURRENCY, true);
  bareConn.disconnect();
  const rate = (x: { n: number; seconds: number }) => x.n / x.seconds;
  const bareRate = rate(bareMany);
  printTable(`webhook deliveries at saturation (${BURST} events queued, then released) vs bare BullMQ no-op jobs, concurrency ${CONCURRENCY}`, [
    {
      path: 'webhooks, 1 lane (1 room): one delivery at a time',
      jobs: one.n,
      seconds: fmt(one.seconds, 2),
      'per second': fmt(rate(one), 0),
      'ratio to bare': fmt(rate(one) / bareRate, 3),
      'worker / redis / receiver CPU %': `${one.cpu.worker} / ${one.cpu.redis} / ${one.cpu.bench}`,
    },
    {
      path: `webhooks, ${LANES} lanes (${LANES} rooms)`,
      jobs: many.n,
      seconds: fmt(many.seconds, 2),
      'per second': fmt(rate(many), 0),
      'ratio to bare': fmt(rate(many) / bareRate, 2),
      'worker / redis / receiver CPU %': `${many.cpu.worker} / ${many.cpu.redis} / ${many.cpu.bench}`,
    },
    {
      path: 'bare BullMQ no-op processor (this process)',
      jobs: bareMany.n,
      seconds: fmt(bareMany.seconds, 2),
      'per second': fmt(bareRate, 0),
      'ratio to bare': '1.00',
      'worker / redis / receiver CPU %': '–',
    },
    {
      path: 'bare BullMQ chain: each no-op job adds the next (one at a time)',
      jobs: bareChain.n,
      seconds: fmt(bareChain.seconds, 2),
      'per second': fmt(rate(bareChain), 0),
      'ratio to bare': fmt(rate(bareChain) / bareRate, 3),
      'worker / redis / receiver CPU %': '–',
    },
  ]);
  printTable('whole run: correctness', [
    {
      received: counts.received,
      'bad signatures': counts.badSignature,
      duplicates: counts.duplicates,
      'out of order': counts.outOfOrder,
      unexpected: counts.unexpected,
      expected: expected.size,
    },
  ]);
  await sleep(500);
} finally {
  await webhooksQueue.close();
  conn.disconnect();
  await worker.stop();
  await api.stop();
  await redis.stop();
  receiver.close();
}
