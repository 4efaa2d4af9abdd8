// Rooms at scale (issue #3): BENCH_MEMBERS sockets in BENCH_ROOMS rooms, each sending
// `room.heartbeat` every 3 s, against one api process and one worker process (which runs
// the `rooms/sweep` scheduler job every 1000 ms) on a throwaway Redis.
//   1. heartbeats: ack p50/p99 (bench clock), CPU of the api, worker and redis-server
//      processes (/proc) over BENCH_SECONDS.
//   2. sweep cost: every `rooms/sweep` job's active → completed time, from the rooms queue's
//      event stream (QueueEvents; the stream entry ids are Redis ms timestamps — the
//      scheduler's jobs are removed on completion, so processedOn/finishedOn are gone by
//      then), summed per second of wall time; beside it the worker's CPU.
//   3. timeout lateness: BENCH_SILENT members (at most one per room first) stop
//      heartbeating; another member of the room (who keeps heartbeating) records when
//      `room.member` {action: 'timed-out'} arrives. Lateness = arrival − (last heartbeat ack
//      received + ROOM_MEMBER_TIMEOUT_MS), and, for reference, arrival − the `deadline` the
//      server returned in that ack. Goal: p99 ≤ 1 s.
//   BENCH_MEMBERS (default 10000)  BENCH_ROOMS (default 500)  BENCH_SECONDS (default 30)
//   BENCH_SILENT (default 500)  ROOM_MEMBER_TIMEOUT_MS (default 10000)
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { rawConnect, type RawClient } from './lib/rawclient.js';
import { createBenchApp, freePort, json, pool, sleep, startRedis, startServerProc, startWorkerProc } from './lib/harness.js';
import { cpuMeter, fmt, printTable, summary, wallNow } from './lib/stats.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const ROOMS = Number(process.env.BENCH_ROOMS ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const SILENT = Math.min(Number(process.env.BENCH_SILENT ?? 500), MEMBERS - ROOMS); // observers (one per room) never go silent
const TIMEOUT_MS = Number(process.env.ROOM_MEMBER_TIMEOUT_MS ?? 10_000);
const PERIOD_MS = 3000;
const SWEEP_EVERY_MS = Number(process.env.ROOM_SWEEP_INTERVAL_MS ?? 500); // roomsSchedules() in src/modules/rooms/jobs.ts
const ADMIN = 'bench-admin-token-0123456789';

/** Member i is in room i % ROOMS; member r (< ROOMS) is the observer of room r. */
const roomOf = (i: number) => i % ROOMS;
/** The k-th silent member: room k % ROOMS, never its observer. */
const silentMember = (k: number) => ROOMS * (1 + Math.floor(k / ROOMS)) + (k % ROOMS);

interface Sweep {
  startMs: number;
  endMs?: number;
  removed?: number;
}

/** Reads `rooms/sweep` jobs from the rooms queue's event stream. */
async function watchSweeps(redisUrl: string, prefix: string) {
  const conn = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const events = new QueueEvents('rooms', { connection: conn, prefix });
  await events.waitUntilReady();
  const sweeps = new Map<string, Sweep>();
  const streamMs = (id: string) => Number(id.split('-')[0]);
  events.on('active', ({ jobId }, id) => {
    if (jobId.startsWith('repeat:rooms:sweep:')) sweeps.set(jobId, { startMs: streamMs(id) });
  });
  events.on('completed', ({ jobId, returnvalue }, id) => {
    const s = sweeps.get(jobId);
    if (!s) return;
    s.endMs = streamMs(id);
    const rv = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as { removed?: number } | null;
    s.removed = rv?.removed ?? 0;
  });
  return {
    /** Completed sweeps that started in [fromMs, toMs) (wall-clock ms). */
    between(fromMs: number, toMs: number): Array<Required<Sweep>> {
      return [...sweeps.values()]
        .filter((s): s is Required<Sweep> => s.endMs !== undefined && s.startMs >= fromMs && s.startMs < toMs)
        .sort((a, b) => a.startMs - b.startMs);
    },
    async close() {
      await events.close();
      conn.disconnect();
    },
  };
}

function sweepRow(phase: string, sweeps: Array<Required<Sweep>>, wallS: number, cpu: { worker: number; redis: number }) {
  const durations = sweeps.map((s) => s.endMs - s.startMs);
  const intervals = sweeps.slice(1).map((s, i) => s.startMs - sweeps[i]!.startMs);
  const d = summary(durations);
  const iv = summary(intervals);
  const busy = durations.reduce((a, b) => a + b, 0);
  return {
    phase,
    'wall s': fmt(wallS, 1),
    sweeps: sweeps.length,
    removed: sweeps.reduce((a, s) => a + s.removed, 0),
    'sweep ms per s': fmt(busy / wallS, 2),
    'ms/sweep p50': fmt(d.p50, 0),
    'ms/sweep max': fmt(d.max, 0),
    'start interval p50 ms': fmt(iv.p50, 0),
    'start interval max ms': fmt(iv.max, 0),
    'worker CPU %': fmt(cpu.worker),
    'redis CPU %': fmt(cpu.redis),
  };
}

const redis = await startRedis();
const env: Record<string, string> = {
  REDIS_URL: redis.url,
  ADMIN_TOKEN: ADMIN,
  KEY_PREFIX: 'brooms',
  QUEUE_PREFIX: 'bqrooms',
  LOG_LEVEL: 'warn',
  ROOM_MEMBER_TIMEOUT_MS: String(TIMEOUT_MS),
  PORT: String(await freePort()),
};
const api = await startServerProc('switchboard', env);
const worker = await startWorkerProc(env);
const sweepLog = await watchSweeps(redis.url, env.QUEUE_PREFIX!);
const { read: cpu, percent: cpuPct } = cpuMeter({ api: api.pid, worker: worker.pid, redis: redis.pid });
let clients: RawClient[] = [];

try {
  process.stdout.write(
    `rooms: ${MEMBERS} members in ${ROOMS} rooms (${fmt(MEMBERS / ROOMS, 0)} per room), room.heartbeat every ${PERIOD_MS / 1000} s, ` +
      `${SECONDS} s measured; ROOM_MEMBER_TIMEOUT_MS ${TIMEOUT_MS}, sweep every ${SWEEP_EVERY_MS} ms; ${SILENT} members go silent; ` +
      `one api + one worker process, default socket adapter; node ${process.version}\n`,
  );

  // ── set-up: app, tokens, rooms (REST, one host who never joins), sockets, joins ──
  let t = performance.now();
  const { token: issue } = await createBenchApp(api.url, ADMIN);
  const hostToken = await issue('host');
  const roomIds = await pool(
    Array.from({ length: ROOMS }, (_, r) => r),
    16,
    async () =>
      (await json<{ roomId: string }>(`${api.url}/v1/rooms`, { method: 'POST', headers: { authorization: `Bearer ${hostToken}` }, body: '{}' }))
        .roomId,
  );
  const tokens = await pool(
    Array.from({ length: MEMBERS }, (_, i) => i),
    32,
    (i) => issue(`m${i}`),
  );
  process.stdout.write(`set-up: ${ROOMS} rooms and ${MEMBERS} tokens in ${fmt((performance.now() - t) / 1000)} s\n`);
  t = performance.now();
  clients = await pool(tokens, 200, (token) => rawConnect(api.url, { token }));
  process.stdout.write(`set-up: ${clients.length} sockets connected in ${fmt((performance.now() - t) / 1000)} s\n`);

  // Observers hear the timeouts of their room.
  const silentOf = new Map<string, number>(); // uid → member index, for silent members
  for (let k = 0; k < SILENT; k++) silentOf.set(`m${silentMember(k)}`, silentMember(k));
  const timedOutAt = new Map<string, number>(); // uid → arrival at the room's observer (wall ms)
  let unexpectedTimeouts = 0;
  for (let r = 0; r < ROOMS && r < MEMBERS; r++) {
    clients[r]!.on('room.member', (m) => {
      if (m.action !== 'timed-out') return;
      if (silentOf.has(m.uid)) {
        if (!timedOutAt.has(m.uid)) timedOutAt.set(m.uid, wallNow());
      } else unexpectedTimeouts++;
    });
  }

  t = performance.now();
  let joinErrors = 0;
  const lastAck = new Float64Array(MEMBERS); // wall ms of the last heartbeat (or join) ack received
  const lastDeadline = new Float64Array(MEMBERS); // the deadline that ack announced (server clock)
  await pool(clients, 100, async (c, i) => {
    const ack = await c.emitWithAck('room.join', { roomId: roomIds[roomOf(i)]! });
    if (!ack.ok) joinErrors++;
    lastAck[i] = wallNow();
    lastDeadline[i] = ack.ok ? ack.data.deadline : NaN;
  });
  process.stdout.write(`set-up: ${MEMBERS} room.join in ${fmt((performance.now() - t) / 1000)} s (${joinErrors} refused)\n`);

  // ── heartbeats ──
  const latencies: number[] = [];
  let hbErrors = 0;
  let rejoined = 0; // a heartbeat that found its member removed (a false timeout)
  let running = true;
  let measuring = false;
  const silent = new Uint8Array(MEMBERS);
  const loops = clients.map(async (c, i) => {
    await sleep(Math.random() * PERIOD_MS); // spread the heartbeats over the period
    while (running && !silent[i]) {
      const sent = performance.now();
      const ack = await c.emitWithAck('room.heartbeat', { roomId: roomIds[roomOf(i)]! });
      const got = performance.now();
      if (ack.ok) {
        lastAck[i] = performance.timeOrigin + got;
        lastDeadline[i] = ack.data.deadline;
        if (ack.data.joined) rejoined++;
        if (measuring) latencies.push(got - sent);
      } else if (measuring) hbErrors++;
      await sleep(PERIOD_MS);
    }
  });
  await sleep(PERIOD_MS + 1000); // one period of warm-up, not counted
  measuring = true;
  const c0 = cpu();
  const w0 = wallNow();
  await sleep(SECONDS * 1000);
  measuring = false;
  const w1 = wallNow();
  const steadyCpu = cpuPct(c0, cpu(), (w1 - w0) / 1000);
  await sleep(500); // let the last sweeps of the window complete
  const steadySweeps = sweepLog.between(w0, w1);
  const hb = summary(latencies);

  // ── silent members: stop heartbeating, wait for their timeouts ──
  for (let k = 0; k < SILENT; k++) silent[silentMember(k)] = 1;
  const s0 = wallNow();
  const sc0 = cpu();
  const until = Date.now() + PERIOD_MS + TIMEOUT_MS + 10_000;
  while (timedOutAt.size < SILENT && Date.now() < until) await sleep(100);
  await sleep(1500); // the sweeps after the last removal
  const s1 = wallNow();
  const silentCpu = cpuPct(sc0, cpu(), (s1 - s0) / 1000);
  const silentSweeps = sweepLog.between(s0, s1);
  running = false;

  const lateAck: number[] = [];
  const lateDeadline: number[] = [];
  for (const [uid, i] of silentOf) {
    const at = timedOutAt.get(uid);
    if (at === undefined) continue;
    lateAck.push(at - (lastAck[i]! + TIMEOUT_MS));
    lateDeadline.push(at - lastDeadline[i]!);
  }
  const la = summary(lateAck);
  const ld = summary(lateDeadline);

  printTable('Heartbeats: room.heartbeat → ack, and process CPU', [
    {
      members: clients.length,
      rooms: ROOMS,
      'heartbeats/s': fmt(hb.n / SECONDS, 0),
      acks: hb.n,
      'ack p50 ms': fmt(hb.p50, 2),
      'ack p99 ms': fmt(hb.p99, 2),
      'ack max ms': fmt(hb.max, 1),
      errors: hbErrors,
      'api CPU %': fmt(steadyCpu.api),
      'worker CPU %': fmt(steadyCpu.worker),
      'redis CPU %': fmt(steadyCpu.redis),
    },
  ]);
  printTable('Sweep cost: rooms/sweep jobs, active → completed (Redis event-stream time)', [
    sweepRow('steady (no one silent)', steadySweeps, (w1 - w0) / 1000, steadyCpu),
    sweepRow(`${SILENT} go silent → removed`, silentSweeps, (s1 - s0) / 1000, silentCpu),
  ]);
  printTable(`Timeout lateness: room.member timed-out at another member − deadline (ROOM_MEMBER_TIMEOUT_MS ${TIMEOUT_MS})`, [
    {
      basis: 'last ack received + timeout',
      silent: SILENT,
      announced: la.n,
      'p50 ms': fmt(la.p50, 0),
      'p99 ms': fmt(la.p99, 0),
      'max ms': fmt(la.max, 0),
      'min ms': fmt(Math.min(...lateAck), 0),
    },
    {
      basis: 'deadline in that ack (server)',
      silent: SILENT,
      announced: ld.n,
      'p50 ms': fmt(ld.p50, 0),
      'p99 ms': fmt(ld.p99, 0),
      'max ms': fmt(ld.max, 0),
      'min ms': fmt(Math.min(...lateDeadline), 0),
    },
  ]);
  process.stdout.write(
    `\nmembers timed out although heartbeating: ${unexpectedTimeouts} announced, ${rejoined} heartbeats found their member removed\n` +
      `goal: p99 lateness ≤ 1000 ms — ${la.p99 <= 1000 ? 'met' : 'MISSED'} (p99 ${fmt(la.p99, 0)} ms)\n`,
  );
  await Promise.race([Promise.all(loops), sleep(PERIOD_MS + 2000)]);
} finally {
  for (const c of clients) c.close();
  await sweepLog.close();
  await worker.stop();
  await api.stop();
  await redis.stop();
}
