// The billing module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Type } from 'typebox';
import { Int, type ConfigSection } from '../../infra/config.js';

export const BILLING_CONFIG = {
  CHARGE_TICK_SECONDS: Type.Number({
    default: 10,
    minimum: 0.05,
    maximum: 3600,
    description: 'period of charge.tick pushes to both sides of a metered call (seconds; fractions allowed)',
  }),
  CHARGE_LOW_UNITS: Int(2, 0, 1000, 'charge.low is sent when the remaining balance pays fewer than this many units (0: never)'),
  CHARGE_SWEEP_INTERVAL_MS: Int(
    50,
    10,
    60000,
    'how often the worker claims due charge ticks (a tick is pushed at most about this late); while no app meters a call it sleeps until a call begun then could fall due',
  ),
  CHARGE_TICK_LEASE_MS: Int(15000, 200, 600000, 'a claimed tick whose worker died is claimed again after this long (nothing is charged twice)'),
  CHARGE_RECONCILE_TOLERANCE_SECONDS: Int(2, 0, 3600, "a reported call length differing from the server's by more than this is kept for review"),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof BILLING_CONFIG> {}
}
