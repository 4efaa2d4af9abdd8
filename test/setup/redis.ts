// Starts a throwaway redis-server on a free port for the whole test run (no
// persistence), and stops it afterwards. Tests read its URL with inject('redisUrl').
import type { TestProject } from 'vitest/node';
import { startThrowawayRedis } from '../../scripts/setup.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_REDIS_URL) {
    project.provide('redisUrl', process.env.TEST_REDIS_URL);
    return;
  }
  const redis = await startThrowawayRedis();
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
