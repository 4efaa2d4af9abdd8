// Socket events of messaging: the pre-send check and translation over the socket, the
// inbox and its acknowledgement; the snapshot carries the unacknowledged tip/system
// messages, so a user offline when they were sent (or whose socket missed the push) gets them.
// Server → client (emitted by the service): message.tip, message.system.
import type { Gateway } from '../../realtime/gateway.js';

export function registerMessagingEvents(gateway: Gateway): void {
  gateway.handle('message.check', async ({ appid, uid, services }, p) => services.messaging.check(appid, uid, p));
  gateway.handle('message.translate', async ({ services }, p) => services.messaging.translate(p));
  gateway.handle('message.inbox', async ({ appid, uid, services }) => ({ messages: await services.messaging.inbox(appid, uid) }));
  gateway.handle('message.ack', async ({ appid, uid, services }, p) => services.messaging.ack(appid, uid, p.upTo));

  gateway.contributeSnapshot(
    'inbox',
    async ({ appid, uid, services }, found) => (found ? services.messaging.inbox(appid, uid) : []),
    ({ appid, uid, services }) => services.messaging.inboxProbe(appid, uid),
  );
}
