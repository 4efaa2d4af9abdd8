import { createDashboardWatch } from './dashboard-watch.js';
import { createEmitter } from './emitter.js';
import { createDomainEvents } from './events.js';
import { createKeys } from './keys.js';
import { createMetrics } from './metrics.js';
import { createQueues } from './queues.js';
import { createSessions } from './sessions.js';
/**
 * The Core of one process: queue producers, this role's metrics, the emitter (counting
 * every emit) on `io`, and the events hub, whose events the metrics count. `queueRedis`
 * carries the queue producers: BullMQ defines its scripts on the connection it is given, and
 * every auto-pipelined batch of a connection copies the scripts defined on it, so they stay
 * off the (auto-pipelined) command connection `redis`.
 */
export function createCore(config, redis, log, io, role, queueRedis = redis) {
    const queues = createQueues(queueRedis, config.QUEUE_PREFIX);
    const metrics = createMetrics(role);
    const dashboardWatch = createDashboardWatch(io, log);
    const emitter = metrics.instrumentEmitter(createEmitter(io, dashboardWatch));
    const keys = createKeys(config.KEY_PREFIX);
    const core = { config, redis, keys, log, emitter, events: createDomainEvents(emitter), queues, metrics, sessions: createSessions(redis, keys), dashboardWatch };
    metrics.countDomainEvents(core.events);
    return core;
}
//# sourceMappingURL=core.js.map