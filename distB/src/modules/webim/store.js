import { defineScripts } from '../../infra/scripts.js';
const scripts = {
    // Takes every kept message at once (nothing delivered twice by two connecting sockets).
    // KEYS: offline list → the JSON entries, newest first
    imDrain: {
        keys: 1,
        lua: `
      local all = redis.call('LRANGE', KEYS[1], 0, -1)
      redis.call('DEL', KEYS[1])
      return all`,
    },
    // A socket closed. KEYS: socks set, online hash. ARGV: socketId, uid
    // → 1 the user just went offline (this call flipped it) | 0 already offline | -n n sockets remain
    imSocketClosed: {
        keys: 2,
        lua: `
      redis.call('SREM', KEYS[1], ARGV[1])
      local left = redis.call('SCARD', KEYS[1])
      if left > 0 then return -left end
      return redis.call('HDEL', KEYS[2], ARGV[2])`,
    },
    // No socket is left on any node although the set says so (a node died): offline now.
    // KEYS: socks set, online hash. ARGV: uid → 1 flipped | 0 already offline
    imForceOffline: {
        keys: 2,
        lua: `
      redis.call('DEL', KEYS[1])
      return redis.call('HDEL', KEYS[2], ARGV[1])`,
    },
};
export function createWebImStore(redis, keys) {
    const run = defineScripts(redis, scripts);
    const k = (appid, ...parts) => keys.scoped(appid, 'im', ...parts);
    return {
        async subscribe(appid, follower, target) {
            await redis.multi().sadd(k(appid, 'subs', target), follower).sadd(k(appid, 'follows', follower), target).exec();
        },
        async unsubscribe(appid, follower, target) {
            const r = (await redis.multi().srem(k(appid, 'subs', target), follower).srem(k(appid, 'follows', follower), target).exec());
            return r[0][1] === 1;
        },
        subscribers: (appid, uid) => redis.smembers(k(appid, 'subs', uid)),
        hasSubscribers: async (appid, uid) => (await redis.scard(k(appid, 'subs', uid))) > 0,
        following: (appid, uid) => redis.smembers(k(appid, 'follows', uid)),
        async setStatus(appid, uid, status, at) {
            await redis.hset(k(appid, 'status'), uid, JSON.stringify({ status, at }));
        },
        async getStatus(appid, uid) {
            const v = await redis.hget(k(appid, 'status'), uid);
            return v ? JSON.parse(v) : null;
        },
        clearStatus: (appid, uid) => redis.hdel(k(appid, 'status'), uid),
        async keep(appid, uid, message, max, ttlSeconds) {
            const key = k(appid, 'offline', uid);
            await redis.multi().lpush(key, message).ltrim(key, 0, max - 1).expire(key, ttlSeconds).exec();
        },
        /** Who went offline is decided here, atomically, not by racing node-local counts (the gateway's registry adds sockets: infra/sessions.ts). */
        async socketClosed(appid, uid, socketId) {
            return Number(await run('imSocketClosed', [keys.userSockets(appid, uid), keys.online(appid)], [socketId, uid]));
        },
        async forceOffline(appid, uid) {
            return Number(await run('imForceOffline', [keys.userSockets(appid, uid), keys.online(appid)], [uid])) === 1;
        },
        /** What session.snapshot reads: the messages kept while the user was away. */
        probe: (appid, uid) => [{ key: k(appid, 'offline', uid) }],
        async drain(appid, uid) {
            return (await run('imDrain', [k(appid, 'offline', uid)], []));
        },
    };
}
//# sourceMappingURL=store.js.map