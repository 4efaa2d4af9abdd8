// Signed peer messages between the parties of a conversation.
import { defineModule } from '../../infra/module.js';
import { signalsContract } from './contract.js';
import { SIGNALS_ERRORS } from './errors.js';
import { registerSignalEvents } from './events.js';
import { signalsRoutes } from './routes.js';
import { createSignalsService, type SignalsService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    signals: SignalsService;
  }
}

export const signalsModule = defineModule({
  name: 'signals',
  errors: SIGNALS_ERRORS,
  needs: ['rtc', 'dispatch'],
  service: (core, deps) => createSignalsService(core, deps),
  routes: [signalsRoutes],
  events: registerSignalEvents,
  contract: signalsContract,
});
