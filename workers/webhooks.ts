// webhooks/deliver: one attempt of one webhook delivery (the service reschedules failures itself).
// webhooks/sweep: re-enqueues lane heads whose job was lost (scheduler).
import type { Processor } from './registry.js';

export const deliverWebhook: Processor<'webhooks', 'deliver'> = async (payload, { services }) => services.webhooks.deliver(payload);

export const sweepWebhooks: Processor<'webhooks', 'sweep'> = async (_payload, { services }) => services.webhooks.sweep();
