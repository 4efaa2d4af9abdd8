// Seed 004: web IM (offline queues, push to absent users).
import { defineModule } from '../../infra/module.js';
import { webimContract } from './contract.js';
import { WEBIM_CONFIG } from './config.js';
import { registerWebImEvents } from './events.js';
import { webImRoutes } from './routes.js';
import { createWebImService, type WebImService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    webim: WebImService;
  }
}

export const webImModule = defineModule({
  name: 'webim',
  config: WEBIM_CONFIG,
  needs: ['accounts', 'push'],
  service: (core, deps) => createWebImService(core, deps),
  routes: [webImRoutes],
  events: registerWebImEvents,
  contract: webimContract,
});
