// presence/sweep: the scheduler job that takes agents past their deadline offline, every
// PRESENCE_SWEEP_INTERVAL_MS for one SWEEP_JOB_MS period (infra/sweep-loop.ts says why).
import { sweepFor, sweepJobMs } from '../src/infra/sweep-loop.js';
import type { Processor } from './registry.js';

export const sweepPresence: Processor<'presence', 'sweep'> = async (_payload, { core, services, signal }) => {
  const every = core.config.PRESENCE_SWEEP_INTERVAL_MS;
  let offline = 0;
  const sweeps = await sweepFor(sweepJobMs(core.config, every), every, signal, async () => void (offline += await services.presence.sweep()));
  return { sweeps, offline };
};
