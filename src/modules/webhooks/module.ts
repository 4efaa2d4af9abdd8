// Outbound webhooks: every business event becomes one signed delivery per subscribed endpoint.
import { defineModule } from '../../infra/module.js';
import { WEBHOOKS_CONFIG } from './config.js';
import { WEBHOOKS_ERRORS } from './errors.js';
import { webhooksQueues, webhooksSchedules } from './jobs.js';
import { webhooksRoutes } from './routes.js';
import { createWebhooksService, type WebhooksService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    webhooks: WebhooksService;
  }
}

export const webhooksModule = defineModule({
  name: 'webhooks',
  errors: WEBHOOKS_ERRORS,
  config: WEBHOOKS_CONFIG,
  needs: ['accounts'],
  service: (core, deps) => createWebhooksService(core, deps),
  routes: [webhooksRoutes], // /v1/apps/:appid/webhooks…
  queues: webhooksQueues,
  schedules: webhooksSchedules,
  wire({ webhooks }, core) {
    core.events.onPublish((event) => webhooks.fanout(event));
  },
});
