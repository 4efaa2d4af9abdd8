// IM pre-send checks (sensitive words, message price), translation, tip/system messages.
import { defineModule } from '../../infra/module.js';
import { messagingContract } from './contract.js';
import { MESSAGING_CONFIG } from './config.js';
import { MESSAGING_ERRORS } from './errors.js';
import { registerMessagingEvents } from './events.js';
import { messagingRoutes } from './routes.js';
import { createMessagingService, type MessagingService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    messaging: MessagingService;
  }
}

export const messagingModule = defineModule({
  name: 'messaging',
  errors: MESSAGING_ERRORS,
  config: MESSAGING_CONFIG,
  needs: ['billing', 'push'],
  service: (core, deps) => createMessagingService(core, deps),
  routes: [messagingRoutes],
  events: registerMessagingEvents,
  contract: messagingContract,
});
