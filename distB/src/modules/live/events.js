export function registerLiveEvents(gateway) {
    gateway.handle('live.start', async ({ appid, uid, services }, p) => services.live.start(appid, uid, p));
    gateway.handle('live.stop', async ({ appid, uid, services }, p) => services.live.stop(appid, p.videoID, uid));
    gateway.handle('live.join', async ({ appid, uid, services }, p) => services.live.join(appid, p.videoID, uid, p.password));
    gateway.handle('live.leave', async ({ appid, uid, services }, p) => services.live.leave(appid, p.videoID, uid));
    gateway.handle('live.get', async ({ appid, uid, services }, p) => services.live.view(appid, p.videoID, uid, p.password));
    gateway.handle('live.list', async ({ appid, uid, services }, p) => services.live.listFor(appid, uid, p));
}
//# sourceMappingURL=events.js.map