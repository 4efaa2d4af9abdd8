// The cross-slot guard. Redis Cluster runs a script on the master of its first key's slot;
// a key of another slot is then either on another master or, worse, on the same one by
// chance. Switchboard's rule (docs/redis-cluster.md § The script rule): every script names its app's keys in
// KEYS (at least one, which routes it), and every key it touches, declared or derived inside
// the script from a prefix of the same app, carries the app's hash tag. On a Cluster,
// scripts go with a `#!lua` shebang, and Redis 7 then refuses any access to another slot.
// This file proves that the refusal is real and covers every script; the cluster pass of
// the whole suite (vitest.config.ts) then runs every script path against it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { definedScripts, knownScriptShas, preloadScripts, runScript, scriptText } from '../../src/infra/scripts.js';
import { isCluster, type RedisClient } from '../../src/infra/redis.js';
import { onCluster, startServer, type TestServer } from '../helpers.js';

let srv: TestServer;
let redis: RedisClient;

beforeAll(async () => {
  srv = await startServer(); // every store is created, so every script is defined
  redis = srv.app.core.redis;
});
afterAll(() => srv?.close());

describe.runIf(onCluster())('scripts on Redis Cluster', () => {
  it('runs on a Cluster client', () => {
    expect(isCluster(redis)).toBe(true);
  });

  it('every script names at least one key (it is routed by it) and loads with a shebang on every master', async () => {
    expect(definedScripts.size).toBeGreaterThan(60);
    const masters = isCluster(redis) ? redis.nodes('master') : [];
    expect(masters.length).toBe(3);
    for (const [name, def] of definedScripts) {
      // A module's scripts each take a fixed number of keys (keys: 0, a count varying per call, is infra's sessionOpen alone).
      expect(def.keys, name).toBeGreaterThan(0);
      const text = scriptText(redis, def);
      expect(text.startsWith('#!lua\n'), name).toBe(true);
      for (const node of masters)
        await expect((node as Redis).script('LOAD', text), `${name} on ${node.options.port}`).resolves.toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('preloading puts every known script on every master (with its shebang)', async () => {
    const masters = isCluster(redis) ? redis.nodes('master') : [];
    const shas = knownScriptShas(redis);
    // Empty caches, as after a restart; other files' calls meanwhile meet NOSCRIPT and load theirs (runScript).
    for (const node of masters) await (node as Redis).script('FLUSH');
    expect(await preloadScripts(redis)).toBe(shas.length);
    for (const node of masters) {
      const exists = (await (node as Redis).script('EXISTS', ...shas)) as number[];
      expect(exists.filter((e) => e === 1).length, `on ${node.options.port}`).toBe(shas.length);
    }
  });

  it('a script touching a key of another app (another slot) is refused by the cluster, declared or not', async () => {
    const keys = srv.app.core.keys;
    const mine = keys.scoped('app-a', 'guard', 'x');
    // Find an app whose tag hashes to another slot on the same master: the case a cluster
    // would let through for a script without a shebang.
    const node = await masterOf(mine);
    let other = '';
    for (let i = 0; i < 5000 && !other; i++) {
      const candidate = keys.scoped(`app-b${i}`, 'guard', 'x');
      if ((await slotOf(candidate)) !== (await slotOf(mine)) && (await masterOf(candidate)) === node) other = candidate;
    }
    expect(other).not.toBe('');
    const undeclared = { keys: 1, lua: `redis.call('SET', KEYS[1], '1'); return redis.call('SET', ARGV[1], '1')` };
    await expect(runScript(redis, undeclared, [mine], [other])).rejects.toThrow(/do not hash to the same slot|non local key/);
    const declared = { keys: 2, lua: `redis.call('SET', KEYS[1], '1'); return redis.call('SET', KEYS[2], '1')` };
    await expect(runScript(redis, declared, [mine, other], [])).rejects.toThrow(/CROSSSLOT|same slot/);
    // The refused access wrote nothing in the other app.
    expect(await redis.exists(other)).toBe(0);
  });

  it('a script deriving keys of its own app inside itself runs', async () => {
    const keys = srv.app.core.keys;
    const a = keys.scoped('app-c', 'guard', 'a');
    const prefix = keys.scoped('app-c', 'guard', '');
    const derived = {
      keys: 1,
      lua: `redis.call('SET', KEYS[1], '1'); redis.call('SET', ARGV[1] .. 'b', '2'); return redis.call('GET', ARGV[1] .. 'b')`,
    };
    await expect(runScript(redis, derived, [a], [prefix])).resolves.toBe('2');
  });
});

async function slotOf(key: string): Promise<number> {
  return Number(await (redis as RedisClient).cluster('KEYSLOT', key));
}

async function masterOf(key: string): Promise<string> {
  const slot = await slotOf(key);
  const ranges = await (redis as RedisClient).cluster('SLOTS');
  const master = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2]; // [host, port, id, …]
  return master ? `${master[0]}:${master[1]}` : '';
}
