export function registerWebImEvents(gateway) {
    gateway.handle('im.status', async ({ appid, uid, services }, p) => services.webim.setStatus(appid, uid, p.status));
    gateway.handle('im.send', async ({ appid, uid, services }, p) => services.webim.send(appid, uid, p.to, p.body));
    gateway.handle('im.subscribe', async ({ appid, uid, services }, p) => services.webim.subscribe(appid, uid, p.uid));
    gateway.handle('im.unsubscribe', async ({ appid, uid, services }, p) => services.webim.unsubscribe(appid, uid, p.uid));
    gateway.handle('im.subscriptions', async ({ appid, uid, services }) => services.webim.subscriptions(appid, uid));
    // Runs for every snapshot; the offline queue is drained (atomically: a user's two sockets
    // connecting at once never both get a message) and im.connected sent only the first time
    // per socket, i.e. on connect. The kept messages go out as im.message (offline: true) and
    // also in the snapshot under webim.offline (same ids), so a client that registers its
    // handlers late still has them.
    // The socket itself is registered (online) by the gateway's session registry, in the same
    // script that probes the offline list.
    gateway.contributeSnapshot('webim', async ({ appid, uid, services, socket }, found) => {
        const data = socket.data;
        if (data.imConnected)
            return { offline: [] };
        data.imConnected = true;
        const kept = found ? await services.webim.takeOffline(appid, uid) : [];
        for (const m of kept)
            socket.emit('im.message', m);
        const connected = { uid, serverTime: Date.now(), offline: kept.length };
        // After kept messages, through the same (adapter) path so it arrives after them; with
        // none, straight to the socket: no XADD for every other node to read back on each connect.
        if (kept.length)
            socket.emit('im.connected', connected);
        else
            socket.nsp.local.to(socket.id).emit('im.connected', connected);
        return { offline: kept };
    }, ({ appid, uid, services }) => services.webim.offlineProbe(appid, uid));
    gateway.onDisconnect(async ({ appid, uid, services, socket, core }) => {
        // A node shutting down closes its sockets after its Redis connection may be gone: the
        // socket ids stay on record and the next close of that user settles them (service).
        if (core.redis.status !== 'ready')
            return;
        try {
            await services.webim.socketClosed(appid, uid, socket.id);
        }
        catch (err) {
            if (core.redis.status === 'ready')
                throw err;
        }
    });
}
//# sourceMappingURL=events.js.map