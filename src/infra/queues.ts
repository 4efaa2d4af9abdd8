// The queues machinery: producers that validate payloads against the catalogue, the
// BullMQ key prefixes, the shape of job definitions and schedules. The catalogue itself
// (every queue, its job names, payload schemas and processors) is composed from the
// feature modules (src/modules/index.ts): infra names no feature. Producers validate before
// enqueueing; workers validate again on receipt (external services enqueue without our
// code) and refuse to start when a job of the catalogue has no processor.
import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { RedisClient } from './redis.js';
import type { Static, TSchema } from 'typebox';
import { parse } from './validation.js';
import type { Config } from './config.js';
import type { Core } from './core.js';
import type { ServiceMap } from './module.js';

/**
 * The payload schema of every job, by queue and job name, for the types only: each module's
 * jobs.ts adds its queues (declaration merging); the runtime values are its JobDefs.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface QueueCatalogue {}

export type QueueName = keyof QueueCatalogue & string;
export type JobName<Q extends QueueName> = keyof QueueCatalogue[Q] & string;
export type JobPayload<Q extends QueueName, J extends JobName<Q>> = QueueCatalogue[Q][J] extends infer S extends TSchema ? Static<S> : never;

export interface JobContext {
  core: Core;
  services: ServiceMap;
  job: Job;
  /** Aborts when the worker is closing: long-running jobs (the sweep loops) return early. */
  signal?: AbortSignal;
}

/** One job of a queue: its payload schema and its processor. */
export interface JobDef<S extends TSchema = TSchema> {
  schema: S;
  process(payload: Static<S>, ctx: JobContext): Promise<unknown>;
}

/** The jobs a module runs, typed against the catalogue its jobs.ts declares. */
export type ModuleQueues = {
  [Q in QueueName]?: { [J in JobName<Q>]: QueueCatalogue[Q][J] extends infer S extends TSchema ? JobDef<S> : never };
};

/** The runtime catalogue: queue → job name → definition (composed from the modules). */
export type QueueDefs = Record<string, Record<string, JobDef>>;

/**
 * Repeating jobs (BullMQ job schedulers), upserted by every worker node at start-up:
 * upsert is idempotent, so N workers still produce one job per period. Sweeps over
 * sorted sets of deadlines go here — never one job per heartbeat or per tick.
 */
export interface Schedule {
  queue: QueueName;
  job: string;
  everyMs: number;
  data?: Record<string, unknown>;
}

/** Retries with exponential backoff; completed jobs trimmed, failed ones kept for inspection. */
const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 14 * 86400 },
};

/** The definition of a job of `catalogue`; undefined for any other queue or job name (own keys only). */
export function jobDef(catalogue: QueueDefs, queue: string, job: string): JobDef | undefined {
  const jobs = Object.hasOwn(catalogue, queue) ? catalogue[queue] : undefined;
  return jobs && Object.hasOwn(jobs, job) ? jobs[job] : undefined;
}

export interface Queues {
  /** Every queue of the catalogue, in the modules' order. */
  readonly names: QueueName[];
  /** The payload schema of a job; undefined for names outside the catalogue. */
  schema(queue: string, job: string): TSchema | undefined;
  get(name: QueueName): Queue;
  add<Q extends QueueName, J extends JobName<Q>>(queue: Q, job: J, payload: JobPayload<Q, J>, opts?: JobsOptions): Promise<string>;
  close(): Promise<void>;
}

/**
 * The BullMQ key prefix of a queue. On one Redis: QUEUE_PREFIX, for every queue (keys
 * `sb:notify:wait` …). On a Cluster: QUEUE_PREFIX and the queue name as a hash tag
 * (`{sb:notify}:notify:wait` …): BullMQ's scripts touch many keys of one queue at once, so
 * a queue must sit in one slot, and a tag per queue spreads the queues over the masters
 * instead of stacking them all on the master of one tag. docs/redis-cluster.md lists where
 * each queue lands on the default three masters.
 */
export function queuePrefix(config: Pick<Config, 'QUEUE_PREFIX' | 'REDIS_CLUSTER_NODES'>, queue: string): string {
  return config.REDIS_CLUSTER_NODES ? `{${config.QUEUE_PREFIX}:${queue}}` : config.QUEUE_PREFIX;
}

export function createQueues(connection: RedisClient, prefixOf: (queue: QueueName) => string, catalogue: QueueDefs): Queues {
  const queues = new Map<string, Queue>();
  const get = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix: prefixOf(name), defaultJobOptions: DEFAULT_JOB_OPTIONS });
      queues.set(name, q);
    }
    return q;
  };
  return {
    names: Object.keys(catalogue) as QueueName[],
    schema: (queue, job) => jobDef(catalogue, queue, job)?.schema,
    get,
    async add(queue, job, payload, opts) {
      const schema = jobDef(catalogue, queue, job)?.schema;
      if (!schema) throw new Error(`queue ${queue} has no job ${job}`);
      const data = parse(schema, payload, `${queue}/${job} job`);
      const added = await get(queue).add(job, data, opts);
      return added.id ?? '';
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
