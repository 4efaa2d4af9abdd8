// What the dashboard charts cost the api (issue "the dashboard plots"): the `connections`
// workload — BENCH_CONNECTIONS authenticated sockets, each sending an acked session.ping
// every 3 s — run three times on a fresh api + worker each time:
//   charts off   DASHBOARD_SAMPLE_MS=0: no sampler in any process
//   0 open       the default sampler (one sample per process every 2 s), no dashboard open
//   N, no charts the same with BENCH_DASHBOARDS admin dashboards (socket.io-client) on
//                /dashboard, not subscribed to the charts: the tables' own cost (snapshot,
//                the periodic dashboard.queues push), as before the charts
//   N open       the same dashboards subscribed to the charts (history, then a point every
//                2 s): what an open page costs now
// The api CPU of each, side by side, with the ratios; the redis-server's CPU beside it.
// Each run also measures the api idle (the dashboards open, no socket yet) for
// BENCH_IDLE_SECONDS: there the charts' own cost is not buried in the workload's.
// Pinning: api, worker and redis-server → CPU 0; this load generator → CPU 1.
//   BENCH_CONNECTIONS (default 10000)  BENCH_SECONDS (default 30)  BENCH_DASHBOARDS (default 10)
//   BENCH_IDLE_SECONDS (default 20)
//   BENCH_ROUNDS (default 3: each variant once per round, the order rotated each round so no
//   variant always runs first; the table gives the median of the rounds — a machine shared
//   with other work has bad moments — and lists each run)
import { io as ioc, type Socket } from 'socket.io-client';
import { pingEvery, rawConnect, type RawClient } from './lib/rawclient.js';
import { createBenchApp, pin, pool, sleep, startRedis, startServerProc, startWorkerProc } from './lib/harness.js';
import { cpuSeconds, fmt, median, printTable, summary } from './lib/stats.js';

const N = Number(process.env.BENCH_CONNECTIONS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const DASHBOARDS = Number(process.env.BENCH_DASHBOARDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const PERIOD_MS = 3000;
const ADMIN = 'bench-admin-token-0123456789';
const SERVER_CPU = 0;
const BENCH_CPU = 1;

interface Variant {
  name: string;
  sampleMs: number;
  dashboards: number;
  charts: boolean;
}
interface Result {
  idleCpuPct: number;
  apiCpuPct: number;
  redisCpuPct: number;
  p50: number;
  p99: number;
  errors: number;
  /** Per dashboard: points in its history at subscribe, points pushed during the window, bytes of the history. */
  historyPoints: number;
  pushed: number;
  historyKiB: number;
}

const VARIANTS: Variant[] = [
  { name: 'charts off (DASHBOARD_SAMPLE_MS=0)', sampleMs: 0, dashboards: 0, charts: false },
  { name: 'sampler on, 0 dashboards open', sampleMs: 2000, dashboards: 0, charts: false },
  { name: `sampler on, ${DASHBOARDS} dashboards open, charts not subscribed`, sampleMs: 2000, dashboards: DASHBOARDS, charts: false },
  { name: `sampler on, ${DASHBOARDS} dashboards open with the charts`, sampleMs: 2000, dashboards: DASHBOARDS, charts: true },
];

/** An admin dashboard subscribed to the charts; counts the points pushed to it. */
async function openDashboard(
  url: string,
  charts: boolean,
): Promise<{ socket: Socket; history: { points: unknown[] }; bytes: number; pushed: () => number }> {
  const socket = ioc(`${url}/dashboard`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { adminToken: ADMIN } });
  await new Promise<void>((resolve, reject) => {
    socket.once('dashboard.snapshot', () => resolve());
    socket.once('connect_error', reject);
  });
  let pushed = 0;
  socket.on('dashboard.charts.point', () => void pushed++);
  if (!charts) return { socket, history: { points: [] }, bytes: 0, pushed: () => pushed };
  const r = (await socket.emitWithAck('dashboard.charts', {})) as { ok: boolean; data: { points: unknown[] }; error?: unknown };
  if (!r.ok) throw new Error(`dashboard.charts refused: ${JSON.stringify(r.error)}`);
  return { socket, history: r.data, bytes: JSON.stringify(r.data).length, pushed: () => pushed };
}

async function measure(v: Variant, round: number, redis: { url: string; pid: number }): Promise<Result> {
  const tag = `${v.sampleMs}${v.dashboards}${v.charts ? 'c' : ''}r${round}`;
  const env = {
    REDIS_URL: redis.url,
    ADMIN_TOKEN: ADMIN,
    KEY_PREFIX: `bdc${tag}`,
    QUEUE_PREFIX: `bdcq${tag}`,
    SOCKET_RATE_PER_SECOND: '20',
    DASHBOARD_SAMPLE_MS: String(v.sampleMs),
    LOG_LEVEL: 'warn',
  };
  const api = await startServerProc('switchboard', env);
  pin(api.pid, SERVER_CPU);
  const worker = await startWorkerProc(env);
  pin(worker.pid, SERVER_CPU);
  const dashboards: Array<Awaited<ReturnType<typeof openDashboard>>> = [];
  let clients: RawClient[] = [];
  try {
    const { token } = await createBenchApp(api.url, ADMIN);
    const auths = await pool(
      Array.from({ length: N }, (_, i) => i),
      32,
      async (i) => ({ token: await token(`u${i}`) }),
    );
    // Some history first (a page opened on a running deployment), then the dashboards.
    await sleep(Math.max(2000, v.sampleMs * 3));
    for (let i = 0; i < v.dashboards; i++) dashboards.push(await openDashboard(api.url, v.charts));
    await sleep(2000);
    const idle0 = cpuSeconds(api.pid);
    const i0 = Date.now();
    await sleep(IDLE_SECONDS * 1000);
    const idleCpu = (cpuSeconds(api.pid) - idle0) / ((Date.now() - i0) / 1000);

    clients = await pool(auths, 200, (auth) => rawConnect(api.url, auth));

    const pings = pingEvery(clients, PERIOD_MS);
    await sleep(PERIOD_MS); // warm-up period, not counted
    pings.measure(true);
    const pushed0 = dashboards.map((d) => d.pushed());
    const cpu0 = cpuSeconds(api.pid);
    const redis0 = cpuSeconds(redis.pid);
    const t0 = Date.now();
    await sleep(SECONDS * 1000);
    const wall = (Date.now() - t0) / 1000;
    const apiCpu = (cpuSeconds(api.pid) - cpu0) / wall;
    const redisCpu = (cpuSeconds(redis.pid) - redis0) / wall;
    const pushed = dashboards.map((d, i) => d.pushed() - pushed0[i]!);
    const { latencies, errors } = await pings.stop();
    const s = summary(latencies);
    const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    return {
      idleCpuPct: idleCpu * 100,
      apiCpuPct: apiCpu * 100,
      redisCpuPct: redisCpu * 100,
      p50: s.p50,
      p99: s.p99,
      errors,
      historyPoints: avg(dashboards.map((d) => d.history.points.length)),
      pushed: avg(pushed),
      historyKiB: avg(dashboards.map((d) => d.bytes)) / 1024,
    };
  } finally {
    for (const d of dashboards) d.socket.close();
    for (const c of clients) c.close();
    await api.kill();
    await worker.stop();
  }
}

pin(process.pid, BENCH_CPU);
const redis = await startRedis();
pin(redis.pid, SERVER_CPU);
try {
  process.stdout.write(
    `dashboard-cost: the connections workload (${N} sockets, one acked session.ping each every ${PERIOD_MS / 1000} s), ${SECONDS} s measured per run, ${ROUNDS} round(s); ` +
      `api + worker + redis-server pinned to CPU ${SERVER_CPU}, load generator to CPU ${BENCH_CPU}; node ${process.version}\n`,
  );
  const results = VARIANTS.map(() => [] as Result[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < VARIANTS.length; k++) {
      const i = (k + round) % VARIANTS.length;
      const v = VARIANTS[i]!;
      const r = await measure(v, round, redis);
      results[i]!.push(r);
      process.stdout.write(`  round ${round + 1}: ${v.name}: api CPU ${fmt(r.apiCpuPct, 2)} % (idle ${fmt(r.idleCpuPct, 2)} %)\n`);
    }
  }
  const medianOf = (rs: Result[], k: keyof Result) => median(rs.map((r) => r[k]));
  const rows = VARIANTS.map((v, i) => {
    const rs = results[i]!;
    return {
      variant: v.name,
      'api CPU % of a core (median)': fmt(medianOf(rs, 'apiCpuPct'), 2),
      'each run': rs.map((r) => fmt(r.apiCpuPct, 1)).join(', '),
      'api idle CPU % (median)': fmt(medianOf(rs, 'idleCpuPct'), 2),
      'idle, each run': rs.map((r) => fmt(r.idleCpuPct, 2)).join(', '),
      'redis CPU %': fmt(medianOf(rs, 'redisCpuPct'), 2),
      'ack p50 ms': fmt(medianOf(rs, 'p50'), 2),
      'ack p99 ms': fmt(medianOf(rs, 'p99'), 2),
      errors: medianOf(rs, 'errors'),
      'history points / KiB per dashboard': v.charts ? `${fmt(medianOf(rs, 'historyPoints'), 0)} / ${fmt(medianOf(rs, 'historyKiB'), 1)}` : '–',
      'points pushed per dashboard': v.charts ? fmt(medianOf(rs, 'pushed'), 1) : '–',
    };
  });
  printTable('api CPU with the dashboard charts', rows);
  const cpu = VARIANTS.map((_, i) => medianOf(results[i]!, 'apiCpuPct'));
  const idle = VARIANTS.map((_, i) => medianOf(results[i]!, 'idleCpuPct'));
  const ratio = (a: number, b: number, what: string) =>
    `\nratio ${VARIANTS[a]!.name} / ${VARIANTS[b]!.name}, ${what}: api CPU ${fmt(cpu[a]! / cpu[b]!, 3)}× (${fmt(cpu[a]! - cpu[b]!, 2)} points of a core); idle ${fmt(idle[a]! / idle[b]!, 3)}× (${fmt(idle[a]! - idle[b]!, 2)} points)`;
  process.stdout.write(`${ratio(3, 1, 'dashboards with charts vs none')}${ratio(3, 2, 'the charts alone')}${ratio(1, 0, 'the sampler')}\n`);
} finally {
  await redis.stop();
}
