// Metered calls at scale (issue #4): BENCH_CALLS concurrent metered calls against one api
// process and one worker process (which runs the `billing/tick` scheduler job every
// CHARGE_SWEEP_INTERVAL_MS) on a throwaway Redis. Every call gets a `charge.tick` every
// CHARGE_TICK_SECONDS, to payer and payee; a unit (60 s) is debited through the ledger
// script every sixth tick.
//   1. tick lateness: BENCH_CONNECTED calls have both sides connected by raw sockets; each
//      `charge.tick` carries its due time: lateness = arrival at the client − due (same
//      machine, same clock). Goal: p99 ≤ 100 ms.
//   2. Redis commands per tick: INFO commandstats over the window (everything: billing
//      scripts, BullMQ scheduler jobs, the socket adapter's stream, the api's reads) divided
//      by the ticks the server made in it (Σ of the calls' tick sequence numbers).
//   The calls begin evenly over one tick period (steady state: BENCH_CALLS / period ticks/s).
//   BENCH_CALLS (default 5000)  BENCH_CONNECTED (default 1000)  BENCH_SECONDS (default 60)
//   CHARGE_TICK_SECONDS (default 10)  CHARGE_SWEEP_INTERVAL_MS (default 50)
import { Redis } from 'ioredis';
import type { ServerPayload } from '../../src/client/index.js';
import { rawConnect, type RawClient } from './lib/rawclient.js';
import { createBenchApp, freePort, json, pool, sleep, startRedis, startServerProc, startWorkerProc } from './lib/harness.js';
import { commandStats, cpuMeter, fmt, printTable, summary, wallNow } from './lib/stats.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 5000);
const CONNECTED = Math.min(Number(process.env.BENCH_CONNECTED ?? 1000), CALLS);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const TICK_S = Number(process.env.CHARGE_TICK_SECONDS ?? 10);
const SWEEP_MS = Number(process.env.CHARGE_SWEEP_INTERVAL_MS ?? 50);
const ADMIN = 'bench-admin-token-0123456789';
const UNIT_PRICE = 1;

const redis = await startRedis();
const env: Record<string, string> = {
  REDIS_URL: redis.url,
  ADMIN_TOKEN: ADMIN,
  KEY_PREFIX: 'bbill',
  QUEUE_PREFIX: 'bqbill',
  LOG_LEVEL: 'warn',
  CHARGE_TICK_SECONDS: String(TICK_S),
  CHARGE_SWEEP_INTERVAL_MS: String(SWEEP_MS),
  PORT: String(await freePort()),
};
const api = await startServerProc('switchboard', env);
const worker = await startWorkerProc(env);
const probe = new Redis(redis.url, { maxRetriesPerRequest: null });
const meter = cpuMeter({ api: api.pid, worker: worker.pid, redis: redis.pid });
let clients: RawClient[] = [];

try {
  process.stdout.write(
    `billing: ${CALLS} concurrent metered calls, charge.tick every ${TICK_S} s to both sides (${fmt(CALLS / TICK_S, 0)} ticks/s), unit 60 s; ` +
      `${CONNECTED} calls with both sides connected (${CONNECTED * 2} raw sockets); tick job every ${SWEEP_MS} ms; ${SECONDS} s measured; ` +
      `one api + one worker process, default socket adapter; node ${process.version}\n`,
  );

  // ── set-up: app, price, users (payer p<i> with balance, payee a<i>), sockets ──
  let t = performance.now();
  const { appid, basic, token: issue } = await createBenchApp(api.url, ADMIN);
  const post = (path: string, body: unknown, method = 'POST') =>
    json(`${api.url}${path}`, { method, headers: { authorization: basic }, body: JSON.stringify(body) });
  await post('/v1/billing/prices/default', { unitPrice: UNIT_PRICE, unitSeconds: 60 }, 'PUT');
  const ids = Array.from({ length: CALLS }, (_, i) => i);
  const tokens = await pool(ids, 32, async (i) => [await issue(`p${i}`), await issue(`a${i}`)] as const);
  await pool(ids, 32, (i) => post('/v1/billing/topups', { uid: `p${i}`, amount: 1_000_000, ref: `bench-${i}` }));
  process.stdout.write(`set-up: ${CALLS * 2} users and ${CALLS} top-ups in ${fmt((performance.now() - t) / 1000)} s\n`);

  t = performance.now();
  const lateness: number[] = [];
  let measuring = false;
  const onTick = (d: ServerPayload<'charge.tick'>) => {
    if (measuring) lateness.push(wallNow() - d.due);
  };
  clients = await pool(
    Array.from({ length: CONNECTED * 2 }, (_, k) => k),
    200,
    async (k) => {
      const c = await rawConnect(api.url, { token: tokens[k >> 1]![k & 1]! });
      c.on('charge.tick', onTick);
      return c;
    },
  );
  process.stdout.write(`set-up: ${clients.length} sockets connected in ${fmt((performance.now() - t) / 1000)} s\n`);

  // ── begin the calls evenly over one tick period ──
  t = performance.now();
  const spreadMs = TICK_S * 1000;
  let beginErrors = 0;
  await pool(ids, 64, async (i) => {
    const at = (i / CALLS) * spreadMs;
    const wait = at - (performance.now() - t);
    if (wait > 0) await sleep(wait);
    try {
      await post('/v1/billing/calls', { callId: `c${i}`, payer: `p${i}`, payee: `a${i}`, priceKey: 'CN-EN' });
    } catch {
      beginErrors++;
    }
  });
  process.stdout.write(`set-up: ${CALLS} calls begun in ${fmt((performance.now() - t) / 1000)} s (${beginErrors} refused)\n`);
  await sleep(TICK_S * 1000 + 1000); // one period of warm-up, not counted

  // ── measured window ──
  const callKey = (i: number) => `${env.KEY_PREFIX}:{${appid}}:billing:c:c${i}`;
  const seqs = async () => {
    const m = probe.multi();
    for (const i of ids) m.hget(callKey(i), 'seq');
    return ((await m.exec()) ?? []).reduce((a, [, v]) => a + Number(v ?? 0), 0);
  };
  const seq0 = await seqs();
  const stats0 = commandStats(await probe.info('commandstats'));
  const c0 = meter.read();
  const w0 = wallNow();
  measuring = true;
  await sleep(SECONDS * 1000);
  measuring = false;
  const w1 = wallNow();
  const c1 = meter.read();
  const stats1 = commandStats(await probe.info('commandstats'));
  const seq1 = await seqs();
  const wallS = (w1 - w0) / 1000;
  const ticks = seq1 - seq0;
  const delta = new Map<string, number>();
  for (const [cmd, n] of stats1) {
    const d = n - (stats0.get(cmd) ?? 0);
    if (d > 0) delta.set(cmd, d);
  }
  delta.set('info', (delta.get('info') ?? 1) - 1); // our own INFO
  const total = [...delta.values()].reduce((a, b) => a + b, 0);
  const entries = Number(await probe.get(`${env.KEY_PREFIX}:{${appid}}:billing:seq`));
  const l = summary(lateness);
  const cpu = meter.percent(c0, c1, wallS);

  printTable('Tick lateness: charge.tick arrival at the client − its due time', [
    {
      calls: CALLS,
      'sockets (both sides)': clients.length,
      'ticks/s (server)': fmt(ticks / wallS, 0),
      'ticks received': l.n,
      'p50 ms': fmt(l.p50, 1),
      'p99 ms': fmt(l.p99, 1),
      'max ms': fmt(l.max, 1),
      'min ms': fmt(Math.min(...lateness), 1),
      'api CPU %': fmt(cpu.api),
      'worker CPU %': fmt(cpu.worker),
      'redis CPU %': fmt(cpu.redis),
    },
  ]);
  const top = [...delta.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
  printTable(`Redis commands per tick (INFO commandstats over ${fmt(wallS, 0)} s ÷ ${ticks} ticks; includes commands run inside scripts)`, [
    { command: 'all', calls: total, 'per tick': fmt(total / ticks, 2) },
    ...top.map(([cmd, n]) => ({ command: cmd, calls: n, 'per tick': fmt(n / ticks, 2) })),
  ]);
  process.stdout.write(
    `\nledger entries in the app: ${entries} (${CALLS} top-ups + units); begin refused: ${beginErrors}\n` +
      `goal: tick lateness p99 ≤ 100 ms — ${l.p99 <= 100 ? 'met' : 'MISSED'} (p99 ${fmt(l.p99, 1)} ms)\n`,
  );
} finally {
  for (const c of clients) c.close();
  probe.disconnect();
  await worker.stop();
  await api.stop();
  await redis.stop();
}
