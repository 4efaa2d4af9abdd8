export function registerPresenceEvents(gateway) {
    gateway.handle('presence.set', async ({ appid, uid, services }, p) => services.presence.set(appid, uid, p));
    gateway.handle('presence.heartbeat', async ({ appid, uid, services }) => services.presence.heartbeat(appid, uid));
    gateway.handle('presence.get', async ({ appid, uid, services }) => services.presence.get(appid, uid));
    // Only agents have a record: for anyone else the part is the offline view, read from nothing.
    gateway.contributeSnapshot('presence', async ({ appid, uid, services }, found) => {
        if (!found)
            return services.presence.viewOf(uid, null);
        const [, view] = await Promise.all([services.presence.socketOpened(appid, uid), services.presence.get(appid, uid)]);
        return view;
    }, ({ appid, uid, services }) => services.presence.probe(appid, uid));
    gateway.onDisconnect(async ({ appid, uid, services }) => services.presence.socketClosed(appid, uid));
}
//# sourceMappingURL=events.js.map