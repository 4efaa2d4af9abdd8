// Dispatch (issue #4): 2,000 online agents across 10 language pairs (both directions: 20
// skills), raw WebSocket clients, one api process and one worker process on one Redis.
//   1. latency: requests (socket `dispatch.request`) at BENCH_RATE/s for BENCH_SECONDS;
//      request sent → first `dispatch.offer` received by any agent, p50/p99 (one clock:
//      this process). Agents accept every offer (first accept wins; the losers are free at
//      once); the winner ends the conversation after BENCH_HOLD_MS, so it is free again.
//   2. throughput at saturation: the dispatch queue is paused, BENCH_BURST requests are
//      created over HTTP, the queue resumes; requests dispatched per second (round 1 run:
//      first offer or `dispatch.queued` received), against bare BullMQ — a no-op processor
//      with the same concurrency on the same Redis, draining as many jobs the same way.
//   BENCH_AGENTS (2000) BENCH_RATE (200) BENCH_SECONDS (20) BENCH_HOLD_MS (500) BENCH_BURST (4000)
//   BENCH_DEBUG=1 also prints 2-second windows, the round jobs' queue/processing times and Redis' slow log
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { rawConnect, type RawClient } from './lib/rawclient.js';
import { createBenchApp, freePort, json, paced, pool, sleep, startRedis, startServerProc, startWorkerProc } from './lib/harness.js';
import { commandStats, cpuMeter, fmt, printTable, summary } from './lib/stats.js';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 2000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const HOLD_MS = Number(process.env.BENCH_HOLD_MS ?? 500);
const BURST = Number(process.env.BENCH_BURST ?? 4000);
const CALLERS = 200;
const CONCURRENCY = 50; // WORKER_CONCURRENCY default, for the worker and the bare baseline
const ADMIN = 'bench-admin-token-0123456789';
const PAIRS = ['CN<>EN', 'CN<>JA', 'CN<>KO', 'CN<>FR', 'CN<>DE', 'EN<>JA', 'EN<>KO', 'EN<>FR', 'EN<>DE', 'EN<>ES'];
const SKILLS = PAIRS.flatMap((p) => {
  const [a, b] = p.split('<>');
  return [`${a}>${b}`, `${b}>${a}`];
});

const redis = await startRedis();
const env = {
  REDIS_URL: redis.url,
  ADMIN_TOKEN: ADMIN,
  KEY_PREFIX: 'bd',
  QUEUE_PREFIX: 'bdq',
  LOG_LEVEL: 'warn',
  PORT: String(await freePort()),
  PRESENCE_TIMEOUT_MS: '3600000',
  DISPATCH_MAX_WAIT_MS: '600000',
  DISPATCH_ROUND_MS: '10000',
  // A request's later timers (its next round, its no-show check) fall 10 s after the accept,
  // inside the 20 s window, so the CPU figures count them however the timers are laid out.
  CONVERSATION_NOSHOW_MS: '10000',
  WORKER_CONCURRENCY: String(CONCURRENCY),
};
const api = await startServerProc('switchboard', env);
const worker = await startWorkerProc(env);
const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
const dispatchQueue = new Queue('dispatch', { connection: conn, prefix: env.QUEUE_PREFIX });

try {
  process.stdout.write(
    `dispatch: ${AGENTS} agents over ${PAIRS.length} pairs (${SKILLS.length} skills), ${RATE} requests/s for ${SECONDS} s, hold ${HOLD_MS} ms; one api + one worker process; node ${process.version}\n`,
  );
  const { token } = await createBenchApp(api.url, ADMIN);

  // Per request (by seq): when it was sent, when its first offer / queued arrived.
  const sentAt = new Map<number, number>();
  const ackAt = new Map<number, number>();
  const firstAt = new Map<number, number>();
  const seen = (seq: number | undefined) => {
    if (seq !== undefined && !firstAt.has(seq)) firstAt.set(seq, performance.now());
  };
  let holdMs = HOLD_MS;
  let accepted = 0;
  let lost = 0;

  const agentTokens = await pool(
    Array.from({ length: AGENTS }, (_, i) => i),
    16,
    (i) => token(`a${i}`),
  );
  const agents: RawClient[] = await pool(agentTokens, 50, (t) => rawConnect(api.url, { token: t }));
  await pool(agents, 50, async (a, i) => {
    const r = await a.emitWithAck('presence.set', { state: 'online', skills: [PAIRS[i % PAIRS.length]!] });
    if (!r.ok) throw new Error(`presence.set: ${JSON.stringify(r)}`);
  });
  for (const a of agents) {
    a.on('dispatch.offer', (o) => {
      seen((o.data as { seq?: number } | undefined)?.seq); // the request's data, as the callers below send it
      void a.emitWithAck('dispatch.accept', { requestId: o.requestId }).then((r) => {
        if (!r.ok) return void lost++;
        accepted++;
        const end = () => void a.emitWithAck('conversation.end', { conversationId: o.requestId });
        if (holdMs > 0) setTimeout(end, holdMs);
        else end();
      });
    });
  }
  const callerTokens = await pool(
    Array.from({ length: CALLERS }, (_, i) => i),
    16,
    (i) => token(`c${i}`),
  );
  const callers = await pool(callerTokens, 50, (t) => rawConnect(api.url, { token: t }));
  // dispatch.queued carries no data: map its request id back to the seq.
  const seqOf = new Map<string, number>();
  for (const c of callers) c.on('dispatch.queued', (d) => seen(seqOf.get(d.requestId)));
  await sleep(500);

  // ── 1. latency at a fixed rate ────────────────────────────────────────────
  if (process.env.BENCH_DEBUG) {
    await conn.config('SET', 'latency-monitor-threshold', '5');
    await conn.config('SET', 'slowlog-log-slower-than', '3000');
    await conn.slowlog('RESET');
  }
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const meter = cpuMeter({ api: api.pid, worker: worker.pid, redis: redis.pid, bench: process.pid });
  const commands0 = commandStats(await conn.info('commandstats'));
  const cpu0 = meter.read();
  const total = RATE * SECONDS;
  const t0 = performance.now();
  const sendSeconds = await paced(RATE, total, (from, to) => {
    for (let s = from; s < to; s++) {
      sentAt.set(s, performance.now());
      void callers[s % CALLERS]!.emitWithAck('dispatch.request', { skill: SKILLS[s % SKILLS.length]!, data: { seq: s } }).then((r) => {
        ackAt.set(s, performance.now());
        if (r.ok) seqOf.set(r.data.requestId, s);
      });
    }
  });
  const deadline = Date.now() + 10_000;
  while (firstAt.size < total && Date.now() < deadline) await sleep(50);
  await sleep(HOLD_MS + 500);
  const wall = (performance.now() - t0) / 1000;
  const cpu = meter.percent(cpu0, meter.read(), wall);
  const lat = summary([...firstAt].filter(([s]) => s < total).map(([s, t]) => t - sentAt.get(s)!));
  lag.disable();
  // Redis commands per request (scripts and the commands inside them both count), the biggest first.
  const commands1 = commandStats(await conn.info('commandstats'));
  const perRequest = [...commands1]
    .map(([name, n]) => [name, (n - (commands0.get(name) ?? 0)) / total] as const)
    .filter(([name, n]) => n > 0 && name !== 'info')
    .sort((a, b) => b[1] - a[1]);
  if (process.env.BENCH_DEBUG) {
    const ack = summary([...ackAt].map(([s, t]) => t - sentAt.get(s)!));
    process.stdout.write(
      `ack p50 ${fmt(ack.p50, 2)} p99 ${fmt(ack.p99, 2)}; bench event-loop delay p99 ${fmt(lag.percentile(99) / 1e6, 2)} ms max ${fmt(lag.max / 1e6, 1)} ms\n`,
    );
    process.stdout.write(
      `latency latest: ${JSON.stringify(await conn.call('LATENCY', 'LATEST'))}\nslowlog: ${JSON.stringify(await conn.slowlog('GET', 10))}\n`,
    );
    const jobs = (await dispatchQueue.getCompleted(0, 999)).filter((j) => j.name === 'round' && j.processedOn && j.finishedOn);
    const pick = summary(jobs.map((j) => j.processedOn! - j.timestamp));
    const proc = summary(jobs.map((j) => j.finishedOn! - j.processedOn!));
    process.stdout.write(
      `last ${jobs.length} round jobs: added→started p50 ${pick.p50} p99 ${pick.p99} max ${pick.max}; started→finished p50 ${proc.p50} p99 ${proc.p99} max ${proc.max}\n`,
    );
    for (let w = 0; w < SECONDS; w += 2) {
      const win = summary([...firstAt].filter(([s]) => s >= w * RATE && s < (w + 2) * RATE).map(([s, t]) => t - sentAt.get(s)!));
      process.stdout.write(`  ${w}-${w + 2}s p50 ${fmt(win.p50, 2)} p99 ${fmt(win.p99, 2)} max ${fmt(win.max, 1)}\n`);
    }
  }
  printTable(`request → first dispatch.offer, ${RATE} requests/s for ${SECONDS} s (goal p99 ≤ 25 ms)`, [
    {
      requests: total,
      'offered or queued': lat.n,
      'send rate/s': fmt(total / sendSeconds, 0),
      'p50 ms': fmt(lat.p50, 2),
      'p99 ms': fmt(lat.p99, 2),
      'max ms': fmt(lat.max, 1),
      'accepted (won)': accepted,
      ALREADY_TAKEN: lost,
      'api CPU %': fmt(cpu.api),
      'worker CPU %': fmt(cpu.worker),
      'redis CPU %': fmt(cpu.redis),
      'load generator CPU %': fmt(cpu.bench),
    },
  ]);
  process.stdout.write(
    `Redis commands per request: ${fmt(
      perRequest.reduce((sum, [, n]) => sum + n, 0),
      1,
    )} (${perRequest
      .slice(0, 10)
      .map(([name, n]) => `${name} ${fmt(n, 1)}`)
      .join(', ')})\n`,
  );

  // ── 2. throughput at saturation vs bare BullMQ ────────────────────────────
  holdMs = 0;
  firstAt.clear();
  sentAt.clear();
  const base = total; // seqs after the fixed-rate part
  await dispatchQueue.pause();
  await pool(
    Array.from({ length: BURST }, (_, i) => base + i),
    64,
    async (s) => {
      const r = await json<{ requestId: string }>(`${api.url}/v1/dispatch/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${callerTokens[s % CALLERS]}` },
        body: JSON.stringify({ skill: SKILLS[s % SKILLS.length], data: { seq: s } }),
      });
      seqOf.set(r.requestId, s);
    },
  );
  const d0 = performance.now();
  await dispatchQueue.resume();
  const dDeadline = Date.now() + 60_000;
  while (firstAt.size < BURST && Date.now() < dDeadline) await sleep(10);
  const dispatched = firstAt.size;
  const dSeconds = (Math.max(...firstAt.values()) - d0) / 1000;

  const bare = new Queue('bench-noop', { connection: conn, prefix: env.QUEUE_PREFIX });
  await bare.pause();
  for (let i = 0; i < BURST; i += 1000)
    await bare.addBulk(
      Array.from({ length: Math.min(1000, BURST - i) }, (_, j) => ({
        name: 'noop',
        data: { i: i + j },
        opts: { removeOnComplete: { age: 3600, count: 1000 } },
      })),
    );
  let done = 0;
  let lastDone = 0;
  const noopConn = new Redis(redis.url, { maxRetriesPerRequest: null });
  const noop = new Worker('bench-noop', async () => undefined, { connection: noopConn, prefix: env.QUEUE_PREFIX, concurrency: CONCURRENCY });
  noop.on('completed', () => {
    done++;
    lastDone = performance.now();
  });
  await noop.waitUntilReady();
  const b0 = performance.now();
  await bare.resume();
  const bDeadline = Date.now() + 60_000;
  while (done < BURST && Date.now() < bDeadline) await sleep(10);
  const bSeconds = (lastDone - b0) / 1000;
  await noop.close();
  noopConn.disconnect();
  await bare.close();
  const dRate = dispatched / dSeconds;
  const bRate = done / bSeconds;
  printTable(`dispatch throughput at saturation (${BURST} requests queued, then released) vs bare BullMQ no-op jobs, concurrency ${CONCURRENCY}`, [
    {
      path: 'dispatch round 1 (request → first offer/queued at the agents/caller)',
      jobs: dispatched,
      seconds: fmt(dSeconds, 2),
      'per second': fmt(dRate, 0),
      'ratio to bare': fmt(dRate / bRate, 2),
    },
    {
      path: 'bare BullMQ no-op processor (this process)',
      jobs: done,
      seconds: fmt(bSeconds, 2),
      'per second': fmt(bRate, 0),
      'ratio to bare': '1.00',
    },
  ]);
  for (const c of [...agents, ...callers]) c.close();
  await sleep(1000); // let the servers finish what the closing sockets started
} finally {
  await dispatchQueue.close();
  conn.disconnect();
  await worker.stop();
  await api.stop();
  await redis.stop();
}
