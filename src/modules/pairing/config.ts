// The pairing module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Type } from 'typebox';
import { Int, type ConfigSection } from '../../infra/config.js';

export const PAIRING_CONFIG = {
  PAIR_CANDIDATES_PER_ROUND: Int(5, 1, 1000, 'candidates a pairing round offers the ask to (new ones each round)'),
  PAIR_ROUND_MS: Int(10000, 100, 3600000, 'how long a pairing round waits for a pass before the next round'),
  PAIR_MAX_ROUNDS: Int(3, 1, 100, 'rounds of an ask without a pass before it ends (pair.ended, reason no-match)'),
  PAIR_OFFER_LIMIT: Int(10, 1, 100000, 'fairness: most asks offered to one candidate per PAIR_OFFER_WINDOW_MS'),
  PAIR_OFFER_WINDOW_MS: Int(60000, 100, 86400000, 'the window of PAIR_OFFER_LIMIT'),
  PAIR_SCAN_LIMIT: Int(500, 10, 100000, 'available users (least recently offered first) a round examines at most'),
  PAIR_PRICE_KEY: Type.String({
    default: 'video',
    pattern: '^[A-Za-z0-9_-]{1,32}$',
    description:
      'billing price key of the call after a match (else the default price); one unit of it is the minimum call checked by ask and video/before/check',
  }),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof PAIRING_CONFIG> {}
}
