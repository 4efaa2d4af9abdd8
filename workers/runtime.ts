// One worker node: a BullMQ Worker per queue of the catalogue, a listener-less
// Socket.IO Server on the same Redis adapter as the api nodes (so workers can emit to
// any socket), and the same services the api uses.
import { UnrecoverableError, Worker } from 'bullmq';
import type { RedisClient } from '../src/infra/redis.js';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { Config } from '../src/config.js';
import { createSocketAdapter } from '../src/infra/adapter.js';
import { createCore, type Core } from '../src/infra/core.js';
import { AppError } from '../src/infra/errors.js';
import { createLogger } from '../src/infra/logger.js';
import { jobWaitSeconds, serveMetrics, type MetricsListener } from '../src/infra/metrics.js';
import { jobDef, queuePrefix, type QueueName, type Schedule } from '../src/infra/queues.js';
import { checkRedis, createCommandRedis, createRedis, failFastOptions, quitAll, redisTarget } from '../src/infra/redis.js';
import { parse } from '../src/infra/validation.js';
import type { Stoppable } from '../src/infra/module.js';
import { MODULES, QUEUES, schedules } from '../src/modules/index.js';
import { coreCatalogues, createServices, type Services } from '../src/services.js';
import { registry as defaultRegistry, type ProcessorContext } from './registry.js';

type AnyProcessor = (payload: unknown, ctx: ProcessorContext) => Promise<unknown>;
type AnyRegistry = Record<string, Record<string, AnyProcessor>>;

/** Throws when a job of the catalogue has no processor (or a processor no job). */
export function checkRegistry(registry: AnyRegistry): void {
  const problems: string[] = [];
  for (const [queue, jobs] of Object.entries(QUEUES)) {
    for (const job of Object.keys(jobs)) if (typeof registry[queue]?.[job] !== 'function') problems.push(`${queue}/${job} has no processor`);
  }
  for (const [queue, jobs] of Object.entries(registry)) {
    for (const job of Object.keys(jobs)) if (!jobDef(QUEUES, queue, job)) problems.push(`${queue}/${job} is not in the queue catalogue`);
  }
  if (problems.length) throw new Error(`worker registry is incomplete: ${problems.join('; ')}`);
}

export interface WorkerNode {
  core: Core;
  services: Services;
  workers: Worker[];
  /** http://…/metrics of this worker (WORKER_METRICS_PORT), when it serves one. */
  metricsUrl?: string;
  close(): Promise<void>;
}

export async function startWorkers(config: Config, opts: { log?: Logger; registry?: AnyRegistry; schedules?: Schedule[] } = {}): Promise<WorkerNode> {
  const registry = opts.registry ?? (defaultRegistry as unknown as AnyRegistry);
  checkRegistry(registry);
  const log = opts.log ?? createLogger(config.LOG_LEVEL, 'worker');
  const redis = createCommandRedis(redisTarget(config), 'worker', failFastOptions(redisTarget(config)));
  const opened: RedisClient[] = [redis];
  await checkRedis(redis, { needsVersion7: config.SOCKET_ADAPTER === 'sharded' });

  const adapter = createSocketAdapter(config, 'worker', redis);
  opened.push(...adapter.clients);
  const io = new Server({ ...adapter.serverOptions });
  const queueRedis = createRedis(redisTarget(config), 'worker:queues');
  opened.push(queueRedis);
  // Ledger writes wait for replicas on a Cluster (WAIT blocks its connection): a connection of their own.
  const durableRedis = config.REDIS_CLUSTER_NODES ? createRedis(redisTarget(config), 'worker:durable') : redis;
  if (durableRedis !== redis) opened.push(durableRedis);
  const core = createCore(config, redis, log, io, 'worker', coreCatalogues(), queueRedis, durableRedis);
  const { queues, metrics } = core;
  const services = createServices(core);
  const started: Stoppable[] = MODULES.flatMap((m) => m.worker?.({ core, services }) ?? []);

  const workers = (Object.keys(QUEUES) as QueueName[]).map((queue) => {
    // BullMQ treats a connection it is given as shared and never closes it: ours, so close() quits it.
    const connection = createRedis(redisTarget(config), `worker:${queue}`);
    opened.push(connection);
    const worker = new Worker(
      queue,
      async (job, _token, signal) => {
        const processor = registry[queue]?.[job.name];
        if (!processor) {
          throw new UnrecoverableError(
            `unknown job name "${job.name}" for queue ${queue}; expected one of: ${Object.keys(registry[queue] ?? {}).join(', ')}`,
          );
        }
        let payload: unknown;
        try {
          payload = parse(jobDef(QUEUES, queue, job.name)!.schema, job.data, `${queue}/${job.name} payload`);
        } catch (err) {
          // A bad payload never succeeds on retry: straight to the failed set, with the reason.
          throw new UnrecoverableError((err as Error).message);
        }
        const startedAt = Date.now();
        // Wait is measured on first attempts only: a retry's timestamp is still the first add.
        const wait = job.attemptsMade === 0 ? jobWaitSeconds(job, job.processedOn ?? startedAt) : null;
        try {
          const result = await processor(payload, { core, services, job, ...(signal ? { signal } : {}) });
          metrics.observeJob(queue, job.name, 'completed', wait, (Date.now() - startedAt) / 1000);
          return result;
        } catch (err) {
          metrics.observeJob(queue, job.name, 'failed', wait, (Date.now() - startedAt) / 1000);
          // Business refusals (unknown app …) are final too; anything else is retried.
          if (err instanceof AppError && err.status < 500) throw new UnrecoverableError(`${err.code}: ${err.message}`);
          throw err;
        }
      },
      { connection, prefix: queuePrefix(config, queue), concurrency: config.WORKER_CONCURRENCY, autorun: true },
    );
    worker.on('failed', (job, err) =>
      log.warn({ queue, job: job?.name, id: job?.id, attempts: job?.attemptsMade, reason: err.message }, 'job failed'),
    );
    worker.on('error', (err) => log.error({ err, queue }, 'worker error'));
    return worker;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  for (const s of opts.schedules ?? schedules(config)) {
    await queues
      .get(s.queue)
      .upsertJobScheduler(
        `${s.queue}:${s.job}`,
        { every: s.everyMs },
        { name: s.job, data: s.data ?? {}, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
      );
  }
  // Workers are separate processes: each serves its own registry for Prometheus to scrape.
  let metricsListener: MetricsListener | undefined;
  if (config.WORKER_METRICS_PORT > 0) metricsListener = await serveMetrics(metrics, config, config.WORKER_METRICS_HOST, config.WORKER_METRICS_PORT);
  log.info({ queues: Object.keys(QUEUES), concurrency: config.WORKER_CONCURRENCY, metrics: metricsListener?.url }, 'workers running');

  return {
    core,
    services,
    workers,
    ...(metricsListener ? { metricsUrl: metricsListener.url } : {}),
    async close() {
      // Worker.close() waits for the active jobs to finish; the sweep loops among them stop
      // at their next sweep when aborted (they complete, and the next job sweeps on).
      for (const w of workers) w.cancelAllJobs('worker closing');
      await Promise.all(workers.map((w) => w.close()));
      await metricsListener?.close();
      for (const s of started) await s.stop();
      core.dashboardWatch.stop();
      await queues.close();
      // A listener-less Server has no engine: close() closes the adapter, then throws on the engine.
      await io.close().catch(() => undefined);
      await quitAll(opened);
    },
  };
}
