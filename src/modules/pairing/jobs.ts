// matchmaking/round: offer an ask to new candidates; matchmaking/timeout: a round got no pass in time.
import type { ModuleQueues } from '../../infra/queues.js';
import { PairRoundJob, PairTimeoutJob } from './schemas.js';

declare module '../../infra/queues.js' {
  interface QueueCatalogue {
    /** Pairing rounds (jobId pair-round.<appid>.<ask>.<n>, at once) and their timeouts (jobId pair-timeout.<appid>.<ask>.<n>, delayed PAIR_ROUND_MS). */
    matchmaking: { round: typeof PairRoundJob; timeout: typeof PairTimeoutJob };
  }
}

export const pairingQueues: ModuleQueues = {
  matchmaking: {
    round: { schema: PairRoundJob, process: async (payload, { services }) => services.pairing.round(payload) },
    timeout: { schema: PairTimeoutJob, process: async (payload, { services }) => services.pairing.timeout(payload) },
  },
};
