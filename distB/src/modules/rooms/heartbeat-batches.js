// Room heartbeats, batched. Every member of every room beats every few seconds (the seed:
// 3 s); one Redis call per beat is one socket write per beat on the api, which was most of
// what a heartbeat cost. Beats arriving within ROOM_HEARTBEAT_BATCH_MS are sent as one
// script per app (rooms/store.ts sbRoomBeat); each caller still gets its own answer.
// A plain timer: an I/O batching window of a few milliseconds, not a business deadline.
/** Beyond this many waiting beats the batch goes at once. */
const MAX_BATCH = 256;
export function createHeartbeatBatches(flushApp, windowMs) {
    let pending = new Map();
    let count = 0;
    let timer = null;
    function flush() {
        if (timer)
            clearTimeout(timer);
        timer = null;
        const batch = pending;
        pending = new Map();
        count = 0;
        for (const [appid, items] of batch) {
            flushApp(appid, items).then((answers) => items.forEach((it, i) => it.resolve(answers[i])), (err) => items.forEach((it) => it.reject(err)));
        }
    }
    return {
        /** Resolves with this beat's answer once its batch was sent. */
        add(appid, roomId, uid) {
            return new Promise((resolve, reject) => {
                let items = pending.get(appid);
                if (!items)
                    pending.set(appid, (items = []));
                items.push({ roomId, uid, resolve, reject });
                if (++count >= MAX_BATCH || windowMs === 0)
                    flush();
                else
                    timer ??= setTimeout(flush, windowMs);
            });
        },
        /** Sends what waits now (shutdown). */
        flush,
    };
}
//# sourceMappingURL=heartbeat-batches.js.map