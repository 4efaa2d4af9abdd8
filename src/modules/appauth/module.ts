// Seed-004 app signatures (md5 of appId, timestamp, appToken; ±1 min; no replay) and per-app call slots.
import { defineModule } from '../../infra/module.js';
import { APP_AUTH_CONFIG } from './config.js';
import { APP_AUTH_ERRORS } from './errors.js';
import { createAppAuth, type AppAuth } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    appAuth: AppAuth;
  }
}

export const appAuthModule = defineModule({
  name: 'appAuth',
  errors: APP_AUTH_ERRORS,
  config: APP_AUTH_CONFIG,
  needs: ['accounts'],
  service: (core, { accounts }) => createAppAuth(core, accounts),
});
