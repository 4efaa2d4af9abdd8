// Starts a throwaway Redis Cluster (3 masters, 3 replicas, on loopback; no persistence)
// for the cluster pass, and stops it afterwards. Tests read its seed nodes with
// inject('redisCluster'); testConfig (test/helpers.ts) then sets REDIS_CLUSTER_NODES.
import type { TestProject } from 'vitest/node';
import { startThrowawayCluster } from '../../scripts/setup.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    redisCluster: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_REDIS_CLUSTER_NODES) {
    project.provide('redisCluster', process.env.TEST_REDIS_CLUSTER_NODES);
    return;
  }
  const cluster = await startThrowawayCluster();
  project.provide('redisCluster', cluster.seeds);
  return () => cluster.stop();
}
