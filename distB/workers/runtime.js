// One worker node: a BullMQ Worker per queue of the catalogue, a listener-less
// Socket.IO Server on the same Redis adapter as the api nodes (so workers can emit to
// any socket), and the same services the api uses.
import { UnrecoverableError, Worker } from 'bullmq';
import { Server } from 'socket.io';
import { createSocketAdapter } from '../src/infra/adapter.js';
import { createCore } from '../src/infra/core.js';
import { AppError } from '../src/infra/errors.js';
import { createLogger } from '../src/infra/logger.js';
import { jobWaitSeconds, serveMetrics } from '../src/infra/metrics.js';
import { QUEUES, schedules, jobSchema } from '../src/infra/queues.js';
import { checkRedis, createCommandRedis, createRedis, quitAll } from '../src/infra/redis.js';
import { parse } from '../src/infra/validation.js';
import { createServices } from '../src/services.js';
import { registry as defaultRegistry } from './registry.js';
/** Throws when a job of the catalogue has no processor (or a processor no job). */
export function checkRegistry(registry) {
    const problems = [];
    for (const [queue, def] of Object.entries(QUEUES)) {
        for (const job of Object.keys(def.jobs))
            if (typeof registry[queue]?.[job] !== 'function')
                problems.push(`${queue}/${job} has no processor`);
    }
    for (const [queue, jobs] of Object.entries(registry)) {
        for (const job of Object.keys(jobs))
            if (!jobSchema(queue, job))
                problems.push(`${queue}/${job} is not in the queue catalogue`);
    }
    if (problems.length)
        throw new Error(`worker registry is incomplete: ${problems.join('; ')}`);
}
export async function startWorkers(config, opts = {}) {
    const registry = opts.registry ?? defaultRegistry;
    checkRegistry(registry);
    const log = opts.log ?? createLogger(config.LOG_LEVEL, 'worker');
    const redis = createCommandRedis(config.REDIS_URL, 'worker');
    const opened = [redis];
    await checkRedis(redis, { needsVersion7: config.SOCKET_ADAPTER === 'sharded' });
    const adapter = createSocketAdapter(config, 'worker', redis);
    opened.push(...adapter.clients);
    const io = new Server({ ...adapter.serverOptions });
    const queueRedis = createRedis(config.REDIS_URL, 'worker:queues');
    opened.push(queueRedis);
    const core = createCore(config, redis, log, io, 'worker', queueRedis);
    const { queues, metrics } = core;
    const services = createServices(core);
    const workers = Object.keys(QUEUES).map((queue) => {
        // BullMQ treats a connection it is given as shared and never closes it: ours, so close() quits it.
        const connection = createRedis(config.REDIS_URL, `worker:${queue}`);
        opened.push(connection);
        const worker = new Worker(queue, async (job) => {
            const processor = registry[queue]?.[job.name];
            if (!processor) {
                throw new UnrecoverableError(`unknown job name "${job.name}" for queue ${queue}; expected one of: ${Object.keys(registry[queue] ?? {}).join(', ')}`);
            }
            let payload;
            try {
                payload = parse(jobSchema(queue, job.name), job.data, `${queue}/${job.name} payload`);
            }
            catch (err) {
                // A bad payload never succeeds on retry: straight to the failed set, with the reason.
                throw new UnrecoverableError(err.message);
            }
            const startedAt = Date.now();
            // Wait is measured on first attempts only: a retry's timestamp is still the first add.
            const wait = job.attemptsMade === 0 ? jobWaitSeconds(job, job.processedOn ?? startedAt) : null;
            try {
                const result = await processor(payload, { core, services, job });
                metrics.observeJob(queue, job.name, 'completed', wait, (Date.now() - startedAt) / 1000);
                return result;
            }
            catch (err) {
                metrics.observeJob(queue, job.name, 'failed', wait, (Date.now() - startedAt) / 1000);
                // Business refusals (unknown app …) are final too; anything else is retried.
                if (err instanceof AppError && err.status < 500)
                    throw new UnrecoverableError(`${err.code}: ${err.message}`);
                throw err;
            }
        }, { connection, prefix: config.QUEUE_PREFIX, concurrency: config.WORKER_CONCURRENCY, autorun: true });
        worker.on('failed', (job, err) => log.warn({ queue, job: job?.name, id: job?.id, attempts: job?.attemptsMade, reason: err.message }, 'job failed'));
        worker.on('error', (err) => log.error({ err, queue }, 'worker error'));
        return worker;
    });
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    for (const s of opts.schedules ?? schedules(config)) {
        await queues.get(s.queue).upsertJobScheduler(`${s.queue}:${s.job}`, { every: s.everyMs }, { name: s.job, data: s.data ?? {}, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } });
    }
    // Workers are separate processes: each serves its own registry for Prometheus to scrape.
    let metricsListener;
    if (config.WORKER_METRICS_PORT > 0)
        metricsListener = await serveMetrics(metrics, config, config.WORKER_METRICS_HOST, config.WORKER_METRICS_PORT);
    log.info({ queues: Object.keys(QUEUES), concurrency: config.WORKER_CONCURRENCY, metrics: metricsListener?.url }, 'workers running');
    return {
        core,
        services,
        workers,
        ...(metricsListener ? { metricsUrl: metricsListener.url } : {}),
        async close() {
            // Worker.close() waits for the active jobs to finish.
            await Promise.all(workers.map((w) => w.close()));
            await metricsListener?.close();
            services.rooms.flushBatches();
            core.dashboardWatch.stop();
            await queues.close();
            // A listener-less Server has no engine: close() closes the adapter, then throws on the engine.
            await io.close().catch(() => undefined);
            await quitAll(opened);
        },
    };
}
//# sourceMappingURL=runtime.js.map