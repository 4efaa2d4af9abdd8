// Cluster mode refuses, at boot, a cluster that would lose data or cannot serve every app:
// each master is checked (version, noeviction), and the cluster must be ok with every slot
// served. A private cluster (three masters, no replicas): this file changes its settings.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { buildApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { checkRedis, createRedis, quitAll, redisTarget, RedisCheckError, type RedisClient } from '../../src/infra/redis.js';
import { startThrowawayCluster } from '../../scripts/setup.mjs';
import { testConfig } from '../helpers.js';

let cluster: Awaited<ReturnType<typeof startThrowawayCluster>>;
let client: RedisClient;
let first: Redis;

beforeAll(async () => {
  cluster = await startThrowawayCluster({ masters: 3, replicasPerMaster: 0 });
  client = createRedis(redisTarget(loadConfig({}, { REDIS_CLUSTER_NODES: cluster.seeds })), 'test');
  first = new Redis(cluster.nodes[0]!.port, '127.0.0.1');
});
afterAll(async () => {
  await quitAll([client, first]);
  await cluster?.stop();
});

it('accepts a healthy cluster and tells how many masters it has', async () => {
  await expect(checkRedis(client)).resolves.toMatchObject({ masters: 3, version: expect.stringMatching(/^7\./) });
});

it('refuses a master whose maxmemory-policy evicts keys, naming that master', async () => {
  await first.config('SET', 'maxmemory-policy', 'allkeys-lru');
  try {
    await expect(checkRedis(client)).rejects.toThrow(
      new RegExp(`maxmemory-policy is "allkeys-lru" \\(master 127\\.0\\.0\\.1:${cluster.nodes[0]!.port}\\).*of every master`),
    );
    await expect(buildApp(testConfig({ REDIS_CLUSTER_NODES: cluster.seeds }))).rejects.toBeInstanceOf(RedisCheckError);
  } finally {
    await first.config('SET', 'maxmemory-policy', 'noeviction');
  }
});

it('refuses a cluster with a slot nobody serves', async () => {
  // CLUSTER SLOTS lists every node's ranges: take the first slot of the first node's.
  const own = (await first.cluster('SLOTS')).find((r) => r[2]?.[1] === cluster.nodes[0]!.port)!;
  await first.cluster('DELSLOTS', own[0]);
  try {
    await expect(checkRedis(client)).rejects.toThrow(/state is "fail"|serves 16383 of 16384 slots/);
  } finally {
    await first.cluster('ADDSLOTS', own[0]);
    await cluster.waitHealthy(30_000);
  }
  await expect(checkRedis(client)).resolves.toMatchObject({ masters: 3 });
});

it('refuses seeds where no cluster answers, saying which variable to check', async () => {
  const dead = createRedis(redisTarget(loadConfig({}, { REDIS_CLUSTER_NODES: '127.0.0.1:1' })), 'dead');
  dead.on('error', () => undefined);
  try {
    await expect(checkRedis(dead)).rejects.toThrow(/Redis Cluster is not reachable.*REDIS_CLUSTER_NODES/);
  } finally {
    dead.disconnect();
  }
});

it('names a malformed REDIS_CLUSTER_NODES at boot', () => {
  expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'localhost' })).toThrow(ConfigError);
  expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'localhost' })).toThrow(/REDIS_CLUSTER_NODES="localhost"/);
  expect(loadConfig({ REDIS_CLUSTER_NODES: 'a.example:6379,10.0.0.2:7000' }).REDIS_CLUSTER_NODES).toBe('a.example:6379,10.0.0.2:7000');
});
