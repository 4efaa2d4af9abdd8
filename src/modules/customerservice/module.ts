// Customer service (seed 004 §4): seats are presence agents of skill `cs`, consultations
// dispatch requests offered to every online seat.
import { defineModule } from '../../infra/module.js';
import { customerServiceContract } from './contract.js';
import { CUSTOMER_SERVICE_CONFIG } from './config.js';
import { CUSTOMER_SERVICE_ERRORS } from './errors.js';
import { registerCustomerServiceEvents } from './events.js';
import { customerServiceQueues, customerServiceSchedules } from './jobs.js';
import { customerServiceRoutes } from './routes.js';
import { createCustomerServiceService, type CustomerServiceService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    customerservice: CustomerServiceService;
  }
}

export const customerServiceModule = defineModule({
  name: 'customerservice',
  errors: CUSTOMER_SERVICE_ERRORS,
  config: CUSTOMER_SERVICE_CONFIG,
  needs: ['accounts', 'presence', 'dispatch', 'push'],
  service: (core, deps) => createCustomerServiceService(core, deps),
  routes: [customerServiceRoutes],
  events: registerCustomerServiceEvents,
  contract: customerServiceContract,
  queues: customerServiceQueues,
  schedules: customerServiceSchedules,
  wire({ presence, customerservice }) {
    // A seat going offline (after dispatch's withdrawal: dispatch comes first in the list) returns its customers to the pool.
    presence.onOffline((appid, uid) => customerservice.seatOffline(appid, uid));
  },
});
