// Socket events of dispatch and conversations: the same operations as /v1/dispatch and
// /v1/conversations and the seed's GET API. Pending offers, waiting requests and live
// conversations go into session.snapshot, so no flow depends on one event arriving.
import type { Gateway } from '../../realtime/gateway.js';

export function registerDispatchEvents(gateway: Gateway): void {
  gateway.handle('dispatch.request', async ({ appid, uid, services }, p) => services.dispatch.create(appid, uid, p));
  gateway.handle('dispatch.accept', async ({ appid, uid, services }, p) => services.dispatch.accept(appid, p.requestId, uid));
  gateway.handle('dispatch.decline', async ({ appid, uid, services }, p) => services.dispatch.decline(appid, p.requestId, uid));
  gateway.handle('dispatch.cancel', async ({ appid, uid, services }, p) => services.dispatch.cancel(appid, p.requestId, uid));
  gateway.handle('dispatch.get', async ({ appid, uid, services }, p) => services.dispatch.getFor(appid, p.requestId, uid));
  gateway.handle('conversation.begin', async ({ appid, uid, services }, p) => services.dispatch.begin(appid, p.conversationId, uid, p.agent));
  gateway.handle('conversation.end', async ({ appid, uid, services }, p) => services.dispatch.end(appid, p.conversationId, uid, ''));

  gateway.contributeSnapshot(
    'dispatch',
    async ({ appid, uid, services }, found) => services.dispatch.snapshot(appid, uid, found),
    ({ appid, uid, services }) => services.dispatch.probe(appid, uid),
  );
}
