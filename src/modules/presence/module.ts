// Agents and their presence; others hook presence.onOffline / onOnline.
import { defineModule } from '../../infra/module.js';
import { presenceContract } from './contract.js';
import { PRESENCE_CONFIG } from './config.js';
import { PRESENCE_ERRORS } from './errors.js';
import { registerPresenceEvents } from './events.js';
import { presenceQueues, presenceSchedules } from './jobs.js';
import { presenceRoutes } from './routes.js';
import { createPresenceService, type PresenceService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    presence: PresenceService;
  }
}

export const presenceModule = defineModule({
  name: 'presence',
  errors: PRESENCE_ERRORS,
  config: PRESENCE_CONFIG,
  needs: ['accounts'],
  service: (core, { accounts }) => createPresenceService(core, accounts),
  routes: [presenceRoutes],
  events: registerPresenceEvents,
  contract: presenceContract,
  queues: presenceQueues,
  schedules: presenceSchedules,
});
