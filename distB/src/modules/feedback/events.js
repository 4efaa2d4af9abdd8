export function registerFeedbackEvents(gateway) {
    gateway.handle('conversation.feedback', async ({ appid, uid, services }, p) => services.feedback.give(appid, p.conversationId, uid, { network: p.network, translation: p.translation, ...(p.side ? { side: p.side } : {}) }));
}
//# sourceMappingURL=events.js.map