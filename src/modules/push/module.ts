// Push sends to the iPhones of users a message found without a socket (web IM, tip/system,
// customer service: each calls push.toOffline).
import { defineModule } from '../../infra/module.js';
import { PUSH_CONFIG } from './config.js';
import { PUSH_ERRORS } from './errors.js';
import { pushQueues } from './jobs.js';
import { pushRoutes } from './routes.js';
import { createPushService, type PushService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    push: PushService;
  }
}

export const pushModule = defineModule({
  name: 'push',
  errors: PUSH_ERRORS,
  config: PUSH_CONFIG,
  needs: ['accounts', 'thirdParty'],
  service: (core, deps) => createPushService(core, deps),
  routes: [pushRoutes], // /v1/apps/:appid/push/apns
  queues: pushQueues,
  // The APNs connections.
  worker: ({ services }) => ({ stop: () => services.push.close() }),
});
