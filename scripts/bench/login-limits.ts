// Issue 16: what the credential guard (infra/credential-guard.ts: @fastify/rate-limit's Redis
// store, two peeks per check) costs a request. Two api processes on one throwaway Redis, the
// same build, LOGIN_LIMITS_ENABLED true and false, pinned to core 0 in turn; the load
// generator (this process) on core 1. Routes:
//   app secret   GET /v1/apps/:appid with Basic auth (every backend call pays this check)
//   login        POST /v1/auth/login (the right password; scrypt N=1024 so the check shows)
// BENCH_REQUESTS per route and mode (default 4000), BENCH_CONCURRENCY in flight (default 16).
import { Redis } from 'ioredis';
import { createBenchApp, freePort, json, pin, startRedis, startServerProc } from './lib/harness.js';
import { commandStats, fmt, printTable, summary } from './lib/stats.js';

const N = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ADMIN = 'bench-admin-token-0123456789';

const redis = await startRedis();
const probe = new Redis(redis.url, { maxRetriesPerRequest: null });
pin(process.pid, 1);
process.stdout.write(
  `login-limits: ${N} requests per route and mode, ${CONCURRENCY} in flight; api pinned to core 0, load on core 1; node ${process.version}\n`,
);

async function measure(url: string, send: (i: number) => Promise<Response>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        const t = performance.now();
        const r = await send(i);
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
        times.push(performance.now() - t);
      }
    }),
  );
  return times;
}

const rows: Array<Record<string, string | number>> = [];
const results: Record<string, { p50: number; p99: number }> = {};
for (const enabled of [false, true]) {
  const env = {
    REDIS_URL: redis.url,
    ADMIN_TOKEN: ADMIN,
    KEY_PREFIX: `bll${enabled ? 1 : 0}`,
    QUEUE_PREFIX: `bqll${enabled ? 1 : 0}`,
    LOG_LEVEL: 'warn',
    PASSWORD_SCRYPT_N: '1024',
    LOGIN_LIMITS_ENABLED: String(enabled),
    PORT: String(await freePort()),
  };
  const api = await startServerProc('switchboard', env);
  pin(api.pid, 0);
  try {
    const { appid, basic } = await createBenchApp(api.url, ADMIN);
    await json(`${api.url}/v1/auth/register`, { method: 'POST', body: JSON.stringify({ appid, id: 'bench-user', password: 'bench-password' }) });
    const routes: Record<string, (i: number) => Promise<Response>> = {
      'app secret': () => fetch(`${api.url}/v1/apps/${appid}`, { headers: { authorization: basic } }),
      login: () =>
        fetch(`${api.url}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ appid, id: 'bench-user', password: 'bench-password' }),
        }),
    };
    for (const [name, send] of Object.entries(routes)) {
      await measure(api.url, send); // warm-up round, not counted
      const before = commandStats(await probe.info('commandstats'));
      const s = summary((await measure(api.url, send)).sort((a, b) => a - b));
      const after = commandStats(await probe.info('commandstats'));
      let commands = 0;
      for (const [cmd, n] of after) commands += n - (before.get(cmd) ?? 0);
      results[`${name}|${enabled}`] = s;
      rows.push({
        route: name,
        guard: enabled ? 'on' : 'off',
        p50_ms: fmt(s.p50, 2),
        p99_ms: fmt(s.p99, 2),
        redis_cmds_per_req: fmt((commands - 2) / N, 2),
      });
    }
  } finally {
    await api.stop();
  }
}
for (const route of ['app secret', 'login']) {
  const off = results[`${route}|false`]!;
  const on = results[`${route}|true`]!;
  rows.push({
    route: `${route}: on − off`,
    guard: 'cost',
    p50_ms: fmt(on.p50 - off.p50, 2),
    p99_ms: fmt(on.p99 - off.p99, 2),
    redis_cmds_per_req: `ratio p50 ${fmt(on.p50 / off.p50, 2)}×`,
  });
}
printTable('credential guard cost per request', rows);
probe.disconnect();
await redis.stop();
