// rooms/sweep: the one scheduler job that removes members past their heartbeat deadline.
// rooms/hostTimeout: the delayed end of a room whose host timed out (ignored if they came back).
import type { Processor } from './registry.js';

export const sweepRooms: Processor<'rooms', 'sweep'> = async (_payload, { services }) => ({ removed: await services.rooms.sweep() });

export const endRoomOnHostTimeout: Processor<'rooms', 'hostTimeout'> = async (payload, { services }) => services.rooms.hostTimeout(payload);
