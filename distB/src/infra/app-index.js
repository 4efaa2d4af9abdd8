export function createAppIndex(redis, key) {
    return {
        /** The app has work for the sweep (idempotent). */
        add: (appid) => redis.sadd(key, appid),
        /** Apps the sweep visits. */
        members: () => redis.smembers(key),
        /** Drops the app unless `busy`; re-adds it if it became busy meanwhile (its add raced the removal). */
        async retireIfIdle(appid, busy) {
            if (await busy())
                return;
            await redis.srem(key, appid);
            if (await busy())
                await redis.sadd(key, appid);
        },
    };
}
//# sourceMappingURL=app-index.js.map