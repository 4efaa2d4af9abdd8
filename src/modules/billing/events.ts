// Socket events of billing: a user reads their balance, ledger and calls and confirms
// their bills; the snapshot carries the balance and the active metered calls, so a
// reconnecting client never depends on a missed charge.tick.
// Server → client (emitted by the service): charge.started, charge.tick, charge.low, charge.ended.
import type { Gateway } from '../../realtime/gateway.js';

export function registerBillingEvents(gateway: Gateway): void {
  gateway.handle('billing.balance', async ({ appid, uid, services }) => services.billing.snapshot(appid, uid));

  gateway.handle('billing.ledger', async ({ appid, uid, services }, p) => services.billing.ledger(appid, uid, p));

  gateway.handle('billing.call', async ({ appid, uid, services }, p) => services.billing.callFor(appid, p.callId, uid));

  /** Seed charge/confirm over the socket. */
  gateway.handle('billing.confirm', async ({ appid, uid, services }, p) => services.billing.confirm(appid, p.callId, uid));

  gateway.contributeSnapshot(
    'billing',
    async ({ appid, uid, services }, found) => services.billing.snapshot(appid, uid, found),
    ({ appid, uid, services }) => services.billing.probe(appid, uid),
  );
}
