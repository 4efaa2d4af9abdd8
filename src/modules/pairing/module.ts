// Speed pairing (seed 003): asks offered in rounds; the call after a match is metered, and
// its end (hang-up, balance exhausted) ends the ask.
import { defineModule } from '../../infra/module.js';
import { pairingContract } from './contract.js';
import { PAIRING_CONFIG } from './config.js';
import { PAIRING_ERRORS } from './errors.js';
import { registerPairingEvents } from './events.js';
import { pairingQueues } from './jobs.js';
import { pairingRoutes } from './routes.js';
import { createPairingService, type PairingService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    pairing: PairingService;
  }
}

export const pairingModule = defineModule({
  name: 'pairing',
  errors: PAIRING_ERRORS,
  config: PAIRING_CONFIG,
  needs: ['accounts', 'billing'],
  service: (core, deps) => createPairingService(core, deps),
  routes: [pairingRoutes],
  events: registerPairingEvents,
  contract: pairingContract,
  queues: pairingQueues,
  wire({ billing, pairing }) {
    billing.onEnded(async (appid, call) => pairing.callEnded(appid, call.callId, call.reason ?? ''));
  },
});
