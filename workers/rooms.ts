// rooms/sweep: the scheduler job that removes members past their heartbeat deadline, every
// ROOM_SWEEP_INTERVAL_MS for one SWEEP_JOB_MS period (infra/sweep-loop.ts says why).
// rooms/hostTimeout: the delayed end of a room whose host timed out (ignored if they came back).
import { sweepFor, sweepJobMs } from '../src/infra/sweep-loop.js';
import type { Processor } from './registry.js';

export const sweepRooms: Processor<'rooms', 'sweep'> = async (_payload, { core, services, signal }) => {
  const every = core.config.ROOM_SWEEP_INTERVAL_MS;
  let removed = 0;
  const sweeps = await sweepFor(sweepJobMs(core.config, every), every, signal, async () => void (removed += await services.rooms.sweep()));
  return { sweeps, removed };
};

export const endRoomOnHostTimeout: Processor<'rooms', 'hostTimeout'> = async (payload, { services }) => services.rooms.hostTimeout(payload);
