// Socket events of customer service. Customers (anonymous sessions of the consultation
// page, or any user of the app) write with cs.send; seats open their console with
// cs.seat.online, reply with cs.reply (the first reply takes the customer over) and leave
// with cs.seat.offline. A customer's open consultation is in session.snapshot.
import type { Gateway } from '../../realtime/gateway.js';

export function registerCustomerServiceEvents(gateway: Gateway): void {
  gateway.handle('cs.send', async ({ appid, uid, services }, p) => services.customerservice.send(appid, uid, p.text));
  gateway.handle('cs.end', async ({ appid, uid, services }) => services.customerservice.end(appid, uid));
  gateway.handle('cs.history', async ({ appid, uid, services }, p) => services.customerservice.consultationFor(appid, uid, p.customer));
  gateway.handle('cs.seat.online', async ({ appid, uid, services }) => services.customerservice.seatOnline(appid, uid));
  gateway.handle('cs.seat.offline', async ({ appid, uid, services }) => services.customerservice.seatLeave(appid, uid));
  gateway.handle('cs.reply', async ({ appid, uid, services }, p) => services.customerservice.reply(appid, uid, p.customer, p.text));
  gateway.handle('cs.close', async ({ appid, uid, services }, p) => services.customerservice.close(appid, uid, p.customer));

  gateway.contributeSnapshot(
    'customerservice',
    async ({ appid, uid, services }, found) => services.customerservice.snapshot(appid, uid, found),
    ({ appid, uid, services }) => services.customerservice.probe(appid, uid),
  );
}
