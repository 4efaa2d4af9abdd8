// Apps, users, secrets and login tokens: every other feature needs it.
import { defineModule } from '../../infra/module.js';
import { accountsRoutes } from './routes.js';
import { createAccountsService, type AccountsService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    accounts: AccountsService;
  }
}

export const accountsModule = defineModule({
  name: 'accounts',
  service: (core) => createAccountsService(core),
  routes: [accountsRoutes],
});
