// matchmaking/round: offer an ask to new candidates; matchmaking/timeout: a round got no pass in time.
import type { Processor } from './registry.js';

export const runPairRound: Processor<'matchmaking', 'round'> = async (payload, { services }) => services.pairing.round(payload);

export const pairRoundTimeout: Processor<'matchmaking', 'timeout'> = async (payload, { services }) => services.pairing.timeout(payload);
