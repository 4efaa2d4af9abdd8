// billing/tick: the one scheduler job (every CHARGE_SWEEP_INTERVAL_MS) that claims the due
// charge ticks of every metered call, charges newly started units and pushes charge.tick.
import type { Processor } from './registry.js';

export const tickCharges: Processor<'billing', 'tick'> = async (_payload, { services }) => services.billing.tick();
