export const deliverWebhook = async (payload, { services }) => services.webhooks.deliver(payload);
export const sweepWebhooks = async (_payload, { services }) => services.webhooks.sweep();
//# sourceMappingURL=webhooks.js.map