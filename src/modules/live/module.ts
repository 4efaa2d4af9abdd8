// Seed 004: live streams on rooms of kind `live`.
import { defineModule } from '../../infra/module.js';
import { liveContract } from './contract.js';
import { LIVE_CONFIG } from './config.js';
import { LIVE_ERRORS } from './errors.js';
import { registerLiveEvents } from './events.js';
import { liveRoutes } from './routes.js';
import { createLiveService, type LiveService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    live: LiveService;
  }
}

export const liveModule = defineModule({
  name: 'live',
  errors: LIVE_ERRORS,
  config: LIVE_CONFIG,
  needs: ['accounts', 'rooms'],
  service: (core, deps) => createLiveService(core, deps),
  routes: [liveRoutes],
  events: registerLiveEvents,
  contract: liveContract,
  wire({ rooms, live }) {
    rooms.onEnd('live', async (appid, roomId, reason) => live.endedByRoom(appid, roomId, reason));
  },
});
