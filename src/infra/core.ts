// What every service gets: config, Redis, key builder, logger, the socket emitter and
// the queue producers. Built once per process (api or worker) and passed down.
import type { RedisClient } from './redis.js';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { Config } from './config.js';
import { createDashboardWatch, type DashboardWatch } from './dashboard-watch.js';
import { createEmitter, type Emitter } from './emitter.js';
import { createDomainEvents, type DomainEvents } from './events.js';
import { createKeys, type Keys } from './keys.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createQueues, jobDef, queuePrefix, type QueueDefs, type Queues } from './queues.js';
import { createSessions, type Sessions } from './sessions.js';
import { keepScriptsLoaded } from './scripts.js';

export interface Core {
  config: Config;
  redis: RedisClient;
  /**
   * Writes that must survive a failover once acknowledged (ledger entries) go here: on a
   * Cluster a connection of its own, since each such write is followed by a WAIT for replicas,
   * which blocks the connection it is sent on (infra/scripts.ts runDurableScript); on one Redis, `redis`.
   */
  durableRedis: RedisClient;
  keys: Keys;
  log: Logger;
  emitter: Emitter;
  /** Business events for dashboards, webhooks and metrics (infra/events.ts). */
  events: DomainEvents;
  queues: Queues;
  /** This process's Prometheus registry and counters (infra/metrics.ts). */
  metrics: Metrics;
  /** The registry of open sockets and the snapshot's one read (infra/sessions.ts). */
  sessions: Sessions;
  /** Which apps a dashboard watches, on any node (infra/dashboard-watch.ts). */
  dashboardWatch: DashboardWatch;
}

/** What the core of a process is built from besides the config and Redis: composed outside infra (src/modules/index.ts, realtime). */
export interface CoreCatalogues {
  /** Every queue and job of the modules. */
  queues: QueueDefs;
  /** Socket event names of the realtime catalogue (metric labels). */
  socketEvents: { client: readonly string[]; server: readonly string[] };
}

/**
 * The Core of one process: queue producers, this role's metrics, the emitter (counting
 * every emit) on `io`, and the events hub, whose events the metrics count. `queueRedis`
 * carries the queue producers: BullMQ defines its forty scripts on the connection it is
 * given (ioredis defineCommand), and they stay off the command connection `redis`, whose
 * scripts are run by infra/scripts.ts.
 */
export function createCore(
  config: Config,
  redis: RedisClient,
  log: Logger,
  io: Server,
  role: 'api' | 'worker',
  catalogues: CoreCatalogues,
  queueRedis: RedisClient = redis,
  durableRedis: RedisClient = redis,
): Core {
  const queues = createQueues(queueRedis, (queue) => queuePrefix(config, queue), catalogues.queues);
  const metrics = createMetrics(role, {
    clientEvents: catalogues.socketEvents.client,
    serverEvents: catalogues.socketEvents.server,
    isJob: (queue, job) => jobDef(catalogues.queues, queue, job) !== undefined,
  });
  const dashboardWatch = createDashboardWatch(io, log);
  const emitter = metrics.instrumentEmitter(createEmitter(io, dashboardWatch));
  const keys = createKeys(config.KEY_PREFIX);
  const core: Core = {
    config,
    redis,
    durableRedis,
    keys,
    log,
    emitter,
    events: createDomainEvents(emitter),
    queues,
    metrics,
    sessions: createSessions(redis, keys),
    dashboardWatch,
  };
  metrics.countDomainEvents(core.events);
  // Each module's scripts were registered as its store module was imported (infra/lua.ts),
  // before any core is made: load them before the first call needs one.
  for (const client of new Set([redis, durableRedis])) keepScriptsLoaded(client, (err) => log.warn({ err }, 'could not preload the Lua scripts'));
  return core;
}
