// billing/tick: the scheduler job (one per chargeJobPeriodMs) that claims the due charge
// ticks of every metered call every CHARGE_SWEEP_INTERVAL_MS for its period, charges newly
// started units and pushes charge.tick.
import type { Processor } from './registry.js';

export const tickCharges: Processor<'billing', 'tick'> = async (_payload, { services, signal }) => services.billing.tickFor(undefined, signal);
