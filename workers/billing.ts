// billing/tick: the one scheduler job (every chargeJobPeriodMs, 1 s by default) that claims
// the due charge ticks of every metered call every CHARGE_SWEEP_INTERVAL_MS for its period,
// charges newly started units and pushes charge.tick.
import type { Processor } from './registry.js';

export const tickCharges: Processor<'billing', 'tick'> = async (_payload, { services }) => services.billing.tickFor();
