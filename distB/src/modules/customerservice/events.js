export function registerCustomerServiceEvents(gateway) {
    gateway.handle('cs.send', async ({ appid, uid, services }, p) => services.customerservice.send(appid, uid, p.text));
    gateway.handle('cs.end', async ({ appid, uid, services }) => services.customerservice.end(appid, uid));
    gateway.handle('cs.history', async ({ appid, uid, services }, p) => services.customerservice.consultationFor(appid, uid, p.customer));
    gateway.handle('cs.seat.online', async ({ appid, uid, services }) => services.customerservice.seatOnline(appid, uid));
    gateway.handle('cs.seat.offline', async ({ appid, uid, services }) => services.customerservice.seatLeave(appid, uid));
    gateway.handle('cs.reply', async ({ appid, uid, services }, p) => services.customerservice.reply(appid, uid, p.customer, p.text));
    gateway.handle('cs.close', async ({ appid, uid, services }, p) => services.customerservice.close(appid, uid, p.customer));
    gateway.contributeSnapshot('customerservice', async ({ appid, uid, services }, found) => services.customerservice.snapshot(appid, uid, found), ({ appid, uid, services }) => services.customerservice.probe(appid, uid));
}
//# sourceMappingURL=events.js.map