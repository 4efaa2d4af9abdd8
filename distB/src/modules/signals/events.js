export function registerSignalEvents(gateway) {
    gateway.handle('conversation.signal', async ({ appid, uid, services }, p) => services.signals.relay(appid, uid, p));
}
//# sourceMappingURL=events.js.map