// `notify` job enqueued → socket event received (issue #2), at a fixed rate, once per
// Socket.IO Redis adapter: one api process and one worker process on one Redis; the
// producer is plain BullMQ, the receivers raw WebSocket clients; enqueue time and
// receive time are read from the same clock (this process).
//   BENCH_RATE (jobs/s, default 1000)  BENCH_SECONDS (default 10)  BENCH_USERS (default 200)
//   BENCH_ADAPTERS (default pubsub,sharded,streams)
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createSocketAdapter } from '../../src/infra/adapter.js';
import { loadConfig } from '../../src/config.js';
import { createCommandRedis } from '../../src/infra/redis.js';
import { rawConnect, type RawClient } from './lib/rawclient.js';
import { createBenchApp, freePort, paced, pool, sleep, startRedis, startServerProc, startWorkerProc } from './lib/harness.js';
import { cpuMeter, fmt, printTable, summary } from './lib/stats.js';

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const USERS = Number(process.env.BENCH_USERS ?? 200);
const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'pubsub,sharded,streams').split(',');
const ADMIN = 'bench-admin-token-0123456789';

async function run(adapter: string, redisUrl: string) {
  const env = {
    REDIS_URL: redisUrl,
    ADMIN_TOKEN: ADMIN,
    KEY_PREFIX: `bn${adapter}`,
    QUEUE_PREFIX: `bq${adapter}`,
    SOCKET_ADAPTER: adapter,
    LOG_LEVEL: 'warn',
    PORT: String(await freePort()),
  };
  const api = await startServerProc('switchboard', env);
  const worker = await startWorkerProc(env);
  const conn = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('notify', { connection: conn, prefix: env.QUEUE_PREFIX });
  try {
    const { appid, token } = await createBenchApp(api.url, ADMIN);
    const tokens = await pool(
      Array.from({ length: USERS }, (_, i) => i),
      16,
      (i) => token(`u${i}`),
    );
    const clients = await pool(tokens, 50, (token) => rawConnect(api.url, { token }));
    const queued = await drive(clients, api.pid, worker.pid, (batch) =>
      queue
        .addBulk(
          batch.map((b) => ({ name: 'notify', data: { appid, to: { user: `u${b.i % USERS}` }, event: 'bench.tick', data: { sent: b.sent } } })),
        )
        .then(() => undefined),
    );
    // The adapter alone: a listener-less Server in this process emits straight to the user rooms.
    const commands = createCommandRedis({ kind: 'single', url: redisUrl }, 'bench');
    const adapterNode = createSocketAdapter(loadConfig({ ...env }), 'worker', commands); // a worker's: publishes only
    const io = new Server({ ...adapterNode.serverOptions });
    await sleep(300);
    const direct = await drive(clients, api.pid, worker.pid, async (batch) => {
      for (const b of batch) io.to(`user:${appid}:u${b.i % USERS}`).emit('bench.tick', { sent: b.sent });
    });
    await io.close().catch(() => undefined);
    for (const c of adapterNode.clients) c.disconnect();
    commands.disconnect();
    for (const c of clients) c.close();
    return { adapter, queued, direct };
  } finally {
    await queue.close();
    conn.disconnect();
    await worker.stop();
    await api.stop();
  }
}

/** Sends RATE messages/s for SECONDS through `send`, and measures their arrival at `clients`. */
async function drive(clients: RawClient[], apiPid: number, workerPid: number, send: (batch: Array<{ i: number; sent: number }>) => Promise<void>) {
  const latencies: number[] = [];
  for (const c of clients) c.onEvent('bench.tick', (d) => latencies.push(performance.now() - (d as { sent: number }).sent));
  await sleep(200);
  const total = RATE * SECONDS;
  const meter = cpuMeter({ api: apiPid, worker: workerPid });
  const cpu0 = meter.read();
  const start = performance.now();
  const elapsed = await paced(
    RATE,
    total,
    (from, to) => send(Array.from({ length: to - from }, (_, k) => ({ i: from + k, sent: performance.now() }))),
    10,
  );
  const deadline = Date.now() + 10_000;
  while (latencies.length < total && Date.now() < deadline) await sleep(50);
  const wall = (performance.now() - start) / 1000;
  const cpu = meter.percent(cpu0, meter.read(), wall);
  const s = summary(latencies);
  return { sent: total, received: s.n, rate: total / elapsed, p50: s.p50, p99: s.p99, max: s.max, cpuApi: cpu.api, cpuWorker: cpu.worker };
}

const redis = await startRedis();
try {
  process.stdout.write(`notify: ${RATE} jobs/s for ${SECONDS} s to ${USERS} users; one api + one worker process; node ${process.version}\n`);
  const rows = [];
  for (const adapter of ADAPTERS) {
    const result = await run(adapter, redis.url);
    for (const [path, r] of [
      ['notify job → socket', result.queued],
      ['adapter emit → socket', result.direct],
    ] as const)
      rows.push({
        adapter,
        path,
        'jobs sent': r.sent,
        'events received': r.received,
        'enqueue rate/s': fmt(r.rate, 0),
        'p50 ms': fmt(r.p50, 2),
        'p99 ms': fmt(r.p99, 2),
        'max ms': fmt(r.max, 1),
        'api CPU %': fmt(r.cpuApi),
        'worker CPU %': fmt(r.cpuWorker),
      });
  }
  printTable('notify job enqueued → event received, and the adapter alone', rows);
} finally {
  await redis.stop();
}
// The streams adapter's blocking reader may keep a connection open after close(): leave explicitly.
process.exit(0);
