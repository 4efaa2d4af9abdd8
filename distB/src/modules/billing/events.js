export function registerBillingEvents(gateway) {
    gateway.handle('billing.balance', async ({ appid, uid, services }) => services.billing.snapshot(appid, uid));
    gateway.handle('billing.ledger', async ({ appid, uid, services }, p) => services.billing.ledger(appid, uid, p));
    gateway.handle('billing.call', async ({ appid, uid, services }, p) => services.billing.callFor(appid, p.callId, uid));
    /** Seed charge/confirm over the socket. */
    gateway.handle('billing.confirm', async ({ appid, uid, services }, p) => services.billing.confirm(appid, p.callId, uid));
    gateway.contributeSnapshot('billing', async ({ appid, uid, services }, found) => services.billing.snapshot(appid, uid, found), ({ appid, uid, services }) => services.billing.probe(appid, uid));
}
//# sourceMappingURL=events.js.map