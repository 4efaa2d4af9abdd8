export function createMemberBatches(emitter, opts) {
    const throttled = new Map();
    function send(t) {
        const event = { roomId: t.roomId, changes: t.changes, memsize: t.memsize };
        emitter.toRoom(t.appid, t.roomId, 'room.members.changed', event, { exceptUser: t.host });
        t.changes = [];
    }
    /** The end of a room's window: what was held back goes out and opens a new window; a quiet room leaves the throttle. */
    function windowEnd(key, t) {
        if (t.changes.length === 0) {
            throttled.delete(key);
            return;
        }
        send(t);
        t.timer = setTimeout(windowEnd, opts.windowMs, key, t);
    }
    return {
        /**
         * Sends one membership change: to the room at once in a small room, else through the
         * room's throttle (and to the host at once). A room inside its window keeps throttling
         * until the window ends, whatever its size now, so no change overtakes an earlier one.
         */
        announce(appid, m) {
            const event = { roomId: m.roomId, uid: m.uid, action: m.action, ...(m.role ? { role: m.role } : {}), memsize: m.memsize };
            const key = `${appid}\n${m.roomId}`;
            const t = throttled.get(key);
            if (!t && m.memsize < opts.above) {
                emitter.toRoom(appid, m.roomId, 'room.member', event);
                return;
            }
            if (m.host)
                emitter.toUser(appid, m.host, 'room.member', event);
            const change = { uid: m.uid, action: m.action, ...(m.role ? { role: m.role } : {}) };
            if (t) {
                t.changes.push(change);
                t.memsize = m.memsize;
                return;
            }
            const opened = { appid, roomId: m.roomId, host: m.host, memsize: m.memsize, changes: [change], timer: undefined };
            send(opened);
            opened.timer = setTimeout(windowEnd, opts.windowMs, key, opened);
            throttled.set(key, opened);
        },
        /** Sends every held-back change now and ends every window (shutdown). */
        flush() {
            for (const t of throttled.values()) {
                clearTimeout(t.timer);
                if (t.changes.length)
                    send(t);
            }
            throttled.clear();
        },
    };
}
//# sourceMappingURL=member-batches.js.map