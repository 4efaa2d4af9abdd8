// webhooks/deliver: one attempt of one webhook delivery (the service reschedules failures itself).
// webhooks/sweep: re-enqueues lane heads whose job was lost (scheduler).
import type { Config } from '../../infra/config.js';
import type { ModuleQueues, Schedule } from '../../infra/queues.js';
import { DeliverJob, WebhookSweepJob } from './schemas.js';

declare module '../../infra/queues.js' {
  interface QueueCatalogue {
    /**
     * Outbound webhooks: one attempt of one delivery per job (jobId wh.<appid>.<deliveryId>.<gen>.<attempt>;
     * a failed attempt enqueues the next one delayed by the backoff), and the recovery sweep (scheduler).
     */
    webhooks: { deliver: typeof DeliverJob; sweep: typeof WebhookSweepJob };
  }
}

export const webhooksQueues: ModuleQueues = {
  webhooks: {
    deliver: { schema: DeliverJob, process: async (payload, { services }) => services.webhooks.deliver(payload) },
    sweep: { schema: WebhookSweepJob, process: async (_payload, { services }) => services.webhooks.sweep() },
  },
};

export const webhooksSchedules = (config: Config): Schedule[] => [
  // Re-enqueues webhook deliveries whose job was lost (a process died between a script and its enqueue).
  { queue: 'webhooks', job: 'sweep', everyMs: config.WEBHOOK_SWEEP_INTERVAL_MS },
];
