// Socket event of signed peer messages: relayed to the other party once the sign verifies.
import type { Gateway } from '../../realtime/gateway.js';

export function registerSignalEvents(gateway: Gateway): void {
  gateway.handle('conversation.signal', async ({ appid, uid, services }, p) => services.signals.relay(appid, uid, p));
}
