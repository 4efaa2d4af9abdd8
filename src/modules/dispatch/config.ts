// The dispatch module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Type } from 'typebox';
import { Int, type ConfigSection } from '../../infra/config.js';

export const DISPATCH_CONFIG = {
  DISPATCH_FIRST_OFFERS: Int(
    3,
    1,
    1000,
    'agents offered a request in its first round (the best idle matching ones: highest rating, then longest idle)',
  ),
  DISPATCH_WIDEN_BY: Int(5, 0, 1000, 'further agents offered the request at each later round (earlier offers stay open)'),
  DISPATCH_ROUND_MS: Int(10000, 100, 3600000, 'how long a dispatch round waits for an accept before widening'),
  CONVERSATION_NOSHOW_MS: Int(
    120000,
    0,
    86400000,
    'an accepted conversation not begun within this time ends (reason no-show) and frees its agent; 0: never',
  ),
  DISPATCH_SWEEP_INTERVAL_MS: Int(
    250,
    50,
    60000,
    "how often the worker looks for requests' due timers (next round, expiry, no-show): each fires up to this much late",
  ),
  DISPATCH_MAX_WAIT_MS: Int(60000, 500, 86400000, 'a request nobody accepted within this time expires (dispatch.expired to the caller)'),
  DISPATCH_DEFAULT_RATING: Type.Number({
    default: 4,
    minimum: 1,
    maximum: 5,
    description: "rating of an agent without feedback; also the prior of the agents' rating (weight: 2 ratings)",
  }),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof DISPATCH_CONFIG> {}
}
