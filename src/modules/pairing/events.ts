// Socket events of pairing: the same operations as /v1/pairing and the seed's /api/v1/video/…
// Availability ends with the user's last socket; the open ask or call and the pending
// dispatches go into session.snapshot, so no flow depends on one event arriving.
import type { Gateway } from '../../realtime/gateway.js';

export function registerPairingEvents(gateway: Gateway): void {
  gateway.handle('pair.available', async ({ appid, uid, services }, p) => services.pairing.setAvailable(appid, uid, p.available));
  gateway.handle('pair.check', async ({ appid, uid, services }) => services.pairing.checkBalance(appid, uid));
  gateway.handle('pair.ask', async ({ appid, uid, services }, p) => services.pairing.ask(appid, uid, p));
  gateway.handle('pair.answer', async ({ appid, uid, services }, p) => services.pairing.answer(appid, uid, p));
  gateway.handle('pair.confirm', async ({ appid, uid, services }, p) => services.pairing.confirm(appid, uid, p));
  gateway.handle('pair.cancel', async ({ appid, uid, services }, p) => services.pairing.cancel(appid, uid, p.askNo));
  gateway.handle('pair.hangup', async ({ appid, uid, services }, p) => services.pairing.hangUp(appid, uid, p.askNo));
  gateway.handle('pair.info', async ({ appid, uid, services }, p) => services.pairing.info(appid, p.askNo, uid));
  gateway.handle('pair.history', async ({ appid, uid, services }, p) => services.pairing.history(appid, uid, p));
  gateway.handle('pair.delete', async ({ appid, uid, services }, p) => services.pairing.deleteRecord(appid, uid, p.askNo, p.startAt));

  gateway.contributeSnapshot(
    'pairing',
    async ({ appid, uid, services }, found) => services.pairing.snapshot(appid, uid, found),
    ({ appid, uid, services }) => services.pairing.probe(appid, uid),
  );
  gateway.onDisconnect(async ({ appid, uid, services, core }) => {
    try {
      if (!(await services.pairing.isAvailable(appid, uid))) return;
      // Asks every node through the adapter; only for available users, only on a disconnect.
      if ((await core.emitter.userSocketCount(appid, uid)) === 0) await services.pairing.setAvailable(appid, uid, false);
    } catch (err) {
      // The node is shutting down (its Redis connection closed under the listener): the
      // availability stays; `session.snapshot` shows it to the client that reconnects.
      if (core.redis.status === 'ready') throw err;
    }
  });
}
