// rooms/sweep: the scheduler job that removes members past their heartbeat deadline, every
// ROOM_SWEEP_INTERVAL_MS for one SWEEP_JOB_MS period (infra/sweep-loop.ts says why).
// rooms/hostTimeout: the delayed end of a room whose host timed out (ignored if they came back).
import type { Config } from '../../infra/config.js';
import type { ModuleQueues, Schedule } from '../../infra/queues.js';
import { sweepJobMs, sweepLoopJob } from '../../infra/sweep-loop.js';
import { HostTimeoutJob, SweepJob } from './schemas.js';

declare module '../../infra/queues.js' {
  interface QueueCatalogue {
    /** Room heartbeat sweep (scheduler) and the delayed end of rooms whose host timed out (jobId room-host-timeout.<appid>.<roomId>.<since>). */
    rooms: { sweep: typeof SweepJob; hostTimeout: typeof HostTimeoutJob };
  }
}

export const roomsQueues: ModuleQueues = {
  rooms: {
    sweep: sweepLoopJob(
      SweepJob,
      (config) => config.ROOM_SWEEP_INTERVAL_MS,
      'removed',
      ({ services }) => services.rooms.sweep(),
    ),
    hostTimeout: { schema: HostTimeoutJob, process: async (payload, { services }) => services.rooms.hostTimeout(payload) },
  },
};

export const roomsSchedules = (config: Config): Schedule[] => [
  // A sweep loop (infra/sweep-loop.ts): one job per SWEEP_JOB_MS, sweeping at its own interval inside.
  // Removes room members whose heartbeat deadline passed (ROOM_MEMBER_TIMEOUT_MS) every
  // ROOM_SWEEP_INTERVAL_MS: a silent member goes at most one interval (+ the sweep's own time) late.
  { queue: 'rooms', job: 'sweep', everyMs: sweepJobMs(config, config.ROOM_SWEEP_INTERVAL_MS) },
];
