// dispatch/round: offer a request to (more) agents; dispatch/expire: its maximum wait is over;
// dispatch/noShow: an accepted conversation nobody started.
import type { ModuleQueues } from '../../infra/queues.js';
import { ExpireJob, RoundJob } from './schemas.js';

declare module '../../infra/queues.js' {
  interface QueueCatalogue {
    /** Dispatch rounds (jobId dispatch-round.<appid>.<id>.<n>: round 1 at once, later ones delayed DISPATCH_ROUND_MS) and request expiry (jobId dispatch-expire.<appid>.<id>, delayed DISPATCH_MAX_WAIT_MS). */
    dispatch: { round: typeof RoundJob; expire: typeof ExpireJob; noShow: typeof ExpireJob };
  }
}

export const dispatchQueues: ModuleQueues = {
  dispatch: {
    round: { schema: RoundJob, process: async (payload, { services }) => services.dispatch.round(payload) },
    expire: { schema: ExpireJob, process: async (payload, { services }) => services.dispatch.expire(payload) },
    noShow: { schema: ExpireJob, process: async (payload, { services }) => services.dispatch.noShow(payload) },
  },
};
