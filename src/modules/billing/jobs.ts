// billing/tick: the scheduler job (one per SWEEP_JOB_MS period) that claims the due charge
// ticks of every metered call every CHARGE_SWEEP_INTERVAL_MS for its period, charges newly
// started units and pushes charge.tick.
import type { Config } from '../../infra/config.js';
import type { ModuleQueues, Schedule } from '../../infra/queues.js';
import { sweepJobMs } from '../../infra/sweep-loop.js';
import { TickJob } from './schemas.js';

declare module '../../infra/queues.js' {
  interface QueueCatalogue {
    /** Charge ticks of metered calls: one scheduler job claims the due ticks (sorted set), never one job per tick. */
    billing: { tick: typeof TickJob };
  }
}

export const billingQueues: ModuleQueues = {
  billing: { tick: { schema: TickJob, process: async (_payload, { services, signal }) => services.billing.tickFor(undefined, signal) } },
};

export const billingSchedules = (config: Config): Schedule[] => [
  // Claims the due charge ticks of metered calls (CHARGE_TICK_SECONDS apart per call) every
  // CHARGE_SWEEP_INTERVAL_MS: a tick reaches the sockets at most about one interval (+ the
  // sweep's own time) late.
  { queue: 'billing', job: 'tick', everyMs: sweepJobMs(config, config.CHARGE_SWEEP_INTERVAL_MS) },
];
