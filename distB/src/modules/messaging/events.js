export function registerMessagingEvents(gateway) {
    gateway.handle('message.check', async ({ appid, uid, services }, p) => services.messaging.check(appid, uid, p));
    gateway.handle('message.translate', async ({ services }, p) => services.messaging.translate(p));
    gateway.handle('message.inbox', async ({ appid, uid, services }) => ({ messages: await services.messaging.inbox(appid, uid) }));
    gateway.handle('message.ack', async ({ appid, uid, services }, p) => services.messaging.ack(appid, uid, p.upTo));
    gateway.contributeSnapshot('inbox', async ({ appid, uid, services }, found) => (found ? services.messaging.inbox(appid, uid) : []), ({ appid, uid, services }) => services.messaging.inboxProbe(appid, uid));
}
//# sourceMappingURL=events.js.map