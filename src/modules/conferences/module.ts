// Voice conferences (seed 001): rooms of kind `conference` with call legs through the telephony provider.
import { defineModule } from '../../infra/module.js';
import { conferencesContract } from './contract.js';
import { CONFERENCES_CONFIG } from './config.js';
import { CONFERENCES_ERRORS } from './errors.js';
import { telephonyCallbackRoutes } from './callbacks.js';
import { registerConferenceEvents } from './events.js';
import { conferencesQueues } from './jobs.js';
import { conferencesRoutes } from './routes.js';
import { createConferencesService, type ConferencesService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    conferences: ConferencesService;
  }
}

export const conferencesModule = defineModule({
  name: 'conferences',
  errors: CONFERENCES_ERRORS,
  config: CONFERENCES_CONFIG,
  needs: ['rooms'],
  service: (core, { rooms }) => createConferencesService(core, { rooms }),
  routes: [conferencesRoutes, telephonyCallbackRoutes], // POST /v1/telephony/callbacks (signed, raw body)
  events: registerConferenceEvents,
  contract: conferencesContract,
  queues: conferencesQueues,
});
