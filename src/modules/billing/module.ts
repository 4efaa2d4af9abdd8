// Balances, ledger, prices and metered calls; features hook billing.onEnded (e.g. free the agent).
import { defineModule } from '../../infra/module.js';
import { billingContract } from './contract.js';
import { BILLING_CONFIG } from './config.js';
import { BILLING_ERRORS } from './errors.js';
import { registerBillingEvents } from './events.js';
import { billingQueues, billingSchedules } from './jobs.js';
import { billingRoutes } from './routes.js';
import { createBillingService, type BillingService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    billing: BillingService;
  }
}

export const billingModule = defineModule({
  name: 'billing',
  errors: BILLING_ERRORS,
  config: BILLING_CONFIG,
  needs: ['accounts'],
  service: (core, { accounts }) => createBillingService(core, accounts),
  routes: [billingRoutes],
  events: registerBillingEvents,
  contract: billingContract,
  queues: billingQueues,
  schedules: billingSchedules,
});
