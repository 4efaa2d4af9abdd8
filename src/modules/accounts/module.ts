// Apps, users, secrets and login tokens: every other feature needs it.
import { defineModule } from '../../infra/module.js';
import { ACCOUNTS_ERRORS } from './errors.js';
import { accountsRoutes } from './routes.js';
import { createAccountsService, type AccountsService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    accounts: AccountsService;
  }
}

export const accountsModule = defineModule({
  name: 'accounts',
  errors: ACCOUNTS_ERRORS,
  service: (core) => createAccountsService(core),
  routes: [accountsRoutes],
});
