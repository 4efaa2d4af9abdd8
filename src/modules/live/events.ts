// Socket events of live streams (seed 004 §3.2.3–3.2.4). Viewers then heartbeat with
// room.heartbeat {roomId: videoID}; they hear room.member / room.state (closed at stop).
import type { Gateway } from '../../realtime/gateway.js';

export function registerLiveEvents(gateway: Gateway): void {
  gateway.handle('live.start', async ({ appid, uid, services }, p) => services.live.start(appid, uid, p));
  gateway.handle('live.stop', async ({ appid, uid, services }, p) => services.live.stop(appid, p.videoID, uid));
  gateway.handle('live.join', async ({ appid, uid, services }, p) => services.live.join(appid, p.videoID, uid, p.password));
  gateway.handle('live.leave', async ({ appid, uid, services }, p) => services.live.leave(appid, p.videoID, uid));
  gateway.handle('live.get', async ({ appid, uid, services }, p) => services.live.view(appid, p.videoID, uid, p.password));
  gateway.handle('live.list', async ({ appid, uid, services }, p) => services.live.listFor(appid, uid, p));
}
