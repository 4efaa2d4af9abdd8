// Rooms: membership, heartbeats, hosts; features own rooms of their kind (rooms.onEnd).
import { defineModule } from '../../infra/module.js';
import { roomsContract } from './contract.js';
import { ROOMS_CONFIG } from './config.js';
import { ROOMS_ERRORS } from './errors.js';
import { registerRoomEvents } from './events.js';
import { roomsQueues, roomsSchedules } from './jobs.js';
import { roomsRoutes } from './routes.js';
import { createRoomsService, type RoomsService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    rooms: RoomsService;
  }
}

export const roomsModule = defineModule({
  name: 'rooms',
  errors: ROOMS_ERRORS,
  config: ROOMS_CONFIG,
  service: (core) => createRoomsService(core),
  routes: [roomsRoutes],
  events: registerRoomEvents,
  contract: roomsContract,
  queues: roomsQueues,
  schedules: roomsSchedules,
  // Heartbeats batched in memory are written before the process goes.
  api: ({ services }) => ({ stop: () => services.rooms.flushBatches() }),
  worker: ({ services }) => ({ stop: () => services.rooms.flushBatches() }),
});
