// presence/sweep: the one scheduler job that takes agents past their deadline offline.
import type { Processor } from './registry.js';

export const sweepPresence: Processor<'presence', 'sweep'> = async (_payload, { services }) => ({ offline: await services.presence.sweep() });
