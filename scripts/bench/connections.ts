// Connection capacity of one api process (issue #2): N authenticated sockets, each
// sending a heartbeat-sized acked event every 3 s. Heap and RSS per connection, CPU,
// ack p50/p99 — Switchboard beside a bare Socket.IO server doing the same, same run.
//   BENCH_CONNECTIONS (default 10000)  BENCH_SECONDS (default 30)
//   BENCH_ADAPTERS (default streams,pubsub): Switchboard is measured once per adapter
import { pingEvery, rawConnect, type RawClient } from './lib/rawclient.js';
import { createBenchApp, pool, sleep, startRedis, startServerProc, type ServerProc } from './lib/harness.js';
import { cpuSeconds, fmt, printTable, summary } from './lib/stats.js';

const N = Number(process.env.BENCH_CONNECTIONS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const PERIOD_MS = 3000;
const ADMIN = 'bench-admin-token-0123456789';

interface Result {
  server: string;
  connections: number;
  heapPerConnKiB: number;
  rssPerConnKiB: number;
  cpuPct: number;
  acks: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

async function tokensFor(server: ServerProc): Promise<Array<Record<string, unknown> | null>> {
  const { token } = await createBenchApp(server.url, ADMIN);
  return pool(
    Array.from({ length: N }, (_, i) => i),
    32,
    async (i) => {
      return { token: await token(`u${i}`) };
    },
  );
}

const ADAPTERS = (process.env.BENCH_ADAPTERS ?? 'streams,pubsub').split(',');

async function measure(mode: 'bare' | 'switchboard', redisUrl: string, adapter = 'streams'): Promise<Result> {
  const server = await startServerProc(mode, {
    SOCKET_ADAPTER: adapter,
    REDIS_URL: redisUrl,
    ADMIN_TOKEN: ADMIN,
    KEY_PREFIX: 'bench',
    QUEUE_PREFIX: 'benchq',
    SOCKET_RATE_PER_SECOND: '20',
  });
  try {
    const auths = mode === 'bare' ? Array.from({ length: N }, () => null) : await tokensFor(server);
    const before = await server.stats();
    const clients: RawClient[] = await pool(auths, 200, (auth) => rawConnect(server.url, auth));
    await sleep(1000);
    const after = await server.stats();

    const pings = pingEvery(clients, PERIOD_MS);
    await sleep(PERIOD_MS); // the first period warms both sides up and is not counted
    pings.measure(true);
    const cpu0 = cpuSeconds(server.pid);
    const t0 = Date.now();
    await sleep(SECONDS * 1000);
    const cpu = (cpuSeconds(server.pid) - cpu0) / ((Date.now() - t0) / 1000);
    const { latencies, errors } = await pings.stop();
    for (const c of clients) c.close();
    const s = summary(latencies);
    return {
      server: mode === 'bare' ? 'bare Socket.IO' : `Switchboard api (${adapter} adapter)`,
      connections: clients.length,
      heapPerConnKiB: (after.heapUsed - before.heapUsed) / clients.length / 1024,
      rssPerConnKiB: (after.rss - before.rss) / clients.length / 1024,
      cpuPct: cpu * 100,
      acks: s.n,
      p50: s.p50,
      p99: s.p99,
      max: s.max,
      errors,
    };
  } finally {
    await server.stop();
  }
}

const redis = await startRedis();
try {
  process.stdout.write(
    `connections: ${N} sockets, one acked event each every ${PERIOD_MS / 1000} s, ${SECONDS} s measured, node ${process.version}\n`,
  );
  const bare = await measure('bare', redis.url);
  const sbs: Result[] = [];
  for (const adapter of ADAPTERS) sbs.push(await measure('switchboard', redis.url, adapter));
  const row = (r: Result) => ({
    server: r.server,
    sockets: r.connections,
    'heap/conn KiB': fmt(r.heapPerConnKiB),
    'RSS/conn KiB': fmt(r.rssPerConnKiB),
    'CPU % of a core': fmt(r.cpuPct),
    acks: r.acks,
    'ack p50 ms': fmt(r.p50, 2),
    'ack p99 ms': fmt(r.p99, 2),
    'ack max ms': fmt(r.max, 1),
    errors: r.errors,
  });
  printTable('Connection capacity of one api process', [row(bare), ...sbs.map(row)]);
  for (const sb of sbs) {
    process.stdout.write(
      `\nratio ${sb.server} / bare: heap per connection ${fmt(sb.heapPerConnKiB / bare.heapPerConnKiB, 2)}×, ` +
        `RSS per connection ${fmt(sb.rssPerConnKiB / bare.rssPerConnKiB, 2)}×, CPU ${fmt(sb.cpuPct / bare.cpuPct, 2)}×, ack p99 ${fmt(sb.p99 / bare.p99, 2)}×`,
    );
  }
  process.stdout.write(`\ngoal: ≤ 1.3× bare memory per connection, ack p99 ≤ 20 ms\n`);
} finally {
  await redis.stop();
}
