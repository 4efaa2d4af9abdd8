// dispatch/round: offer a request to (more) agents; dispatch/expire: its maximum wait is over;
// dispatch/noShow: an accepted conversation nobody started; dispatch/sweep: the scheduler job
// that turns due timers into those jobs, every DISPATCH_SWEEP_INTERVAL_MS for one SWEEP_JOB_MS
// period (infra/sweep-loop.ts says why).
import type { Config } from '../../infra/config.js';
import type { ModuleQueues, Schedule } from '../../infra/queues.js';
import { sweepJobMs, sweepLoopJob } from '../../infra/sweep-loop.js';
import { DispatchSweepJob, ExpireJob, RoundJob } from './schemas.js';

declare module '../../infra/queues.js' {
  interface QueueCatalogue {
    /** Dispatch rounds (jobId dispatch-round.<appid>.<id>.<n>), expiry (dispatch-expire.<appid>.<id>) and no-show (dispatch-noshow.<appid>.<id>): round 1 added by the request, the others by the sweep when a request's timer is due (scheduler). */
    dispatch: { round: typeof RoundJob; expire: typeof ExpireJob; noShow: typeof ExpireJob; sweep: typeof DispatchSweepJob };
  }
}

export const dispatchQueues: ModuleQueues = {
  dispatch: {
    round: { schema: RoundJob, process: async (payload, { services }) => services.dispatch.round(payload) },
    expire: { schema: ExpireJob, process: async (payload, { services }) => services.dispatch.expire(payload) },
    noShow: { schema: ExpireJob, process: async (payload, { services }) => services.dispatch.noShow(payload) },
    sweep: sweepLoopJob(
      DispatchSweepJob,
      (config) => config.DISPATCH_SWEEP_INTERVAL_MS,
      'added',
      ({ services }) => services.dispatch.sweep(),
    ),
  },
};

export const dispatchSchedules = (config: Config): Schedule[] => [
  // Requests' timers: the next round, the expiry and the no-show, every DISPATCH_SWEEP_INTERVAL_MS.
  { queue: 'dispatch', job: 'sweep', everyMs: sweepJobMs(config, config.DISPATCH_SWEEP_INTERVAL_MS) },
];
