// Socket event of feedback: stars for network and translation, once per side.
import type { Gateway } from '../../realtime/gateway.js';

export function registerFeedbackEvents(gateway: Gateway): void {
  gateway.handle('conversation.feedback', async ({ appid, uid, services }, p) =>
    services.feedback.give(appid, p.conversationId, uid, { network: p.network, translation: p.translation, ...(p.side ? { side: p.side } : {}) }),
  );
}
