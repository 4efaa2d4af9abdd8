// presence/sweep: the scheduler job that takes agents past their deadline offline, every
// PRESENCE_SWEEP_INTERVAL_MS for one SWEEP_JOB_MS period (infra/sweep-loop.ts says why).
import type { Config } from '../../infra/config.js';
import type { ModuleQueues, Schedule } from '../../infra/queues.js';
import { sweepJobMs, sweepLoopJob } from '../../infra/sweep-loop.js';
import { PresenceSweepJob } from './schemas.js';

declare module '../../infra/queues.js' {
  interface QueueCatalogue {
    /** Agents past their presence deadline go offline (scheduler). */
    presence: { sweep: typeof PresenceSweepJob };
  }
}

export const presenceQueues: ModuleQueues = {
  presence: {
    sweep: sweepLoopJob(
      PresenceSweepJob,
      (config) => config.PRESENCE_SWEEP_INTERVAL_MS,
      'offline',
      ({ services }) => services.presence.sweep(),
    ),
  },
};

export const presenceSchedules = (config: Config): Schedule[] => [
  // Takes online agents past their deadline (PRESENCE_TIMEOUT_MS without heartbeat, or
  // PRESENCE_GRACE_MS after their socket dropped) offline, withdrawing their offers, every
  // PRESENCE_SWEEP_INTERVAL_MS.
  { queue: 'presence', job: 'sweep', everyMs: sweepJobMs(config, config.PRESENCE_SWEEP_INTERVAL_MS) },
];
