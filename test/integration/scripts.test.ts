// Lua scripts reach Redis once, not once per call in flight. A process runs its scripts by
// EVALSHA; a Redis that does not know one (a fresh or restarted Redis: its script cache is
// not persisted) answers NOSCRIPT, and the call then sends the whole script (EVAL). Before
// this, every call in flight at that moment did so: the first 100 joins of a fresh api sent
// each of their two scripts 100 times (docs/benchmarks.md, issue 13, eleventh round). Now the
// api and the workers load every known script as their command connection becomes ready, at
// start and after each reconnect, and calls that meet NOSCRIPT together send one EVAL.
// A private redis-server: its script cache is this file's to empty and to restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPrivateRedis } from '../../scripts/setup.mjs';
import { createCommandRedis, redisTarget, type RedisClient } from '../../src/infra/redis.js';
import { knownScriptShas, runScript } from '../../src/infra/scripts.js';
import { commandStats, errorStats } from '../../scripts/bench/lib/stats.js';
import { startServer, until, type TestServer } from '../helpers.js';

let dir: string;
let port: number;
let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
let srv: TestServer;
let admin: Redis;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sw-scripts-'));
  port = await freePort();
  redis = await startPrivateRedis({ dataDir: dir, port });
  admin = new Redis(redis.url, { maxRetriesPerRequest: null });
  admin.on('error', () => undefined);
  srv = await startServer({ REDIS_URL: redis.url, LOG_LEVEL: 'error' });
}, 60_000);

afterAll(async () => {
  await srv?.close();
  admin?.disconnect();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** How many of the known scripts the private Redis holds, of how many. */
async function loaded(): Promise<{ held: number; of: number }> {
  const shas = knownScriptShas(srv.app.core.redis);
  const exists = (await admin.script('EXISTS', ...shas)) as number[];
  return { held: exists.filter((e) => e === 1).length, of: shas.length };
}

const allLoaded = async (): Promise<boolean> => {
  const { held, of } = await loaded();
  return held === of;
};

describe('scripts preloaded', () => {
  it("the api's command connection loads every known script as it starts, before any call needs one", async () => {
    await until(allLoaded, 5000, 'every script loaded');
    const { held, of } = await loaded();
    expect(of).toBeGreaterThan(60); // every module's scripts, not a few
    expect(held).toBe(of);
  });

  it('a restarted Redis (its script cache empty) gets them all again once the connection is ready', async () => {
    redis.child.kill('SIGKILL');
    await new Promise((r) => redis.child.once('exit', r));
    redis = await startPrivateRedis({ dataDir: dir, port });
    // The AOF brings the data back, not the script cache: only the reload can fill it.
    await until(allLoaded, 15_000, 'every script loaded again');
    expect((await loaded()).held).toBeGreaterThan(60);
  });
});

describe('calls that meet NOSCRIPT together', () => {
  let client: RedisClient;
  beforeAll(() => {
    client = createCommandRedis(redisTarget({ REDIS_URL: redis.url, REDIS_CLUSTER_NODES: '', REDIS_CLUSTER_TLS: false }), 'test');
  });
  afterAll(() => client?.disconnect());

  /** Redis' own counts so far: EVAL calls, EVALSHA calls, NOSCRIPT replies. */
  async function counts(): Promise<{ eval: number; evalsha: number; noscript: number }> {
    const calls = commandStats(await admin.info('commandstats'));
    const errors = errorStats(await admin.info('errorstats'));
    return { eval: calls.get('eval') ?? 0, evalsha: calls.get('evalsha') ?? 0, noscript: errors.get('NOSCRIPT') ?? 0 };
  }

  it('send the script once: one EVAL, the others wait for it and run EVALSHA again', async () => {
    // A script no one loaded: its text is new to Redis, as every script is after a restart.
    // (The api on this Redis has every script of its own loaded: it meets no NOSCRIPT meanwhile.)
    const def = { keys: 1, lua: `-- t${Date.now()}${Math.random().toString(36).slice(2)}\nreturn ARGV[1] .. ':' .. KEYS[1]` };
    const n = 50;
    const before = await counts();
    // Issued in one tick: the command connection writes them together, all before the first NOSCRIPT comes back.
    const results = await Promise.all(Array.from({ length: n }, (_, i) => runScript(client, def, [`k${i}`], [String(i)])));
    expect(results).toEqual(Array.from({ length: n }, (_, i) => `${i}:k${i}`));
    const after = await counts();
    // Every call's first EVALSHA met NOSCRIPT; one call sent the script, the others ran EVALSHA again.
    expect(after.noscript - before.noscript).toBe(n);
    expect(after.eval - before.eval).toBe(1);
    expect(after.evalsha - before.evalsha).toBeGreaterThanOrEqual(2 * n - 1);
  });
});
