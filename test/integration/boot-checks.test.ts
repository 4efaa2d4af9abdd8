// The server refuses a Redis that would lose data, and a bad environment, with messages
// that say what to do.
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { checkRedis, RedisCheckError } from '../../src/infra/redis.js';
import { startThrowawayRedis } from '../../scripts/setup.mjs';
import { testConfig } from '../helpers.js';
import { apiMain, ensureBuild, run } from '../e2e/processes.js';

it('refuses a Redis whose maxmemory-policy evicts keys, and an unreachable one', async () => {
  const redis = await startThrowawayRedis();
  const client = new Redis(redis.url);
  try {
    await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await expect(checkRedis(client)).rejects.toThrow(/maxmemory-policy is "allkeys-lru".*noeviction/);
    await expect(buildApp(testConfig({ REDIS_URL: redis.url }))).rejects.toBeInstanceOf(RedisCheckError);
    await client.config('SET', 'maxmemory-policy', 'noeviction');
    await expect(checkRedis(client)).resolves.toMatchObject({ version: expect.any(String) });
  } finally {
    client.disconnect();
    await redis.stop();
  }
  const dead = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  dead.on('error', () => undefined);
  await expect(checkRedis(dead)).rejects.toThrow(/Redis is not reachable/);
  dead.disconnect();
});

it('the api process stops at boot on an invalid variable, naming it', async () => {
  ensureBuild();
  const p = run([apiMain], { PORT: 'not-a-port', LOG_LEVEL: 'info' });
  const code = await new Promise<number | null>((r) => p.child.once('exit', r));
  expect(code).toBe(78);
  expect(p.output()).toContain('PORT="not-a-port"');
});
