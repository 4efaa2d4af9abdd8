// What every service gets: config, Redis, key builder, logger, the socket emitter and
// the queue producers. Built once per process (api or worker) and passed down.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Emitter } from './emitter.js';
import type { DomainEvents } from './events.js';
import type { Keys } from './keys.js';
import type { Metrics } from './metrics.js';
import type { Queues } from './queues.js';

export interface Core {
  config: Config;
  redis: Redis;
  keys: Keys;
  log: Logger;
  emitter: Emitter;
  /** Business events for dashboards, webhooks and metrics (infra/events.ts). */
  events: DomainEvents;
  queues: Queues;
  /** This process's Prometheus registry and counters (infra/metrics.ts). */
  metrics: Metrics;
}
