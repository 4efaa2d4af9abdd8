// Seed 004: third-party users (platform users under the app's ids) and their APNs device ids.
import { defineModule } from '../../infra/module.js';
import { THIRD_PARTY_CONFIG } from './config.js';
import { THIRD_PARTY_ERRORS } from './errors.js';
import { thirdPartyRoutes } from './routes.js';
import { createThirdPartyService, type ThirdPartyService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    thirdParty: ThirdPartyService;
  }
}

export const thirdPartyModule = defineModule({
  name: 'thirdParty',
  errors: THIRD_PARTY_ERRORS,
  config: THIRD_PARTY_CONFIG,
  needs: ['accounts'],
  service: (core, { accounts }) => createThirdPartyService(core, accounts),
  routes: [thirdPartyRoutes],
});
