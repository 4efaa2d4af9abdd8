// Backend pushes to sockets (the public notify queue).
import { defineModule } from '../../infra/module.js';
import { notifyQueues } from './jobs.js';
import { notifyRoutes } from './routes.js';
import { createNotifyService, type NotifyService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    notify: NotifyService;
  }
}

export const notifyModule = defineModule({
  name: 'notify',
  needs: ['accounts'],
  service: (core, { accounts }) => createNotifyService(core, accounts),
  routes: [notifyRoutes],
  queues: notifyQueues,
});
