import { runScript } from './scripts.js';
/** How long a user's socket set outlives its last write (ids of a node that died are settled by web IM). */
const SOCKETS_TTL_SECONDS = 7 * 86400;
// KEYS: sockets set, online hash, user hash, probe keys… ARGV: socketId, uid, ttl, then one
// probe kind per probe key: 'k' (key exists), 'h<field>' (hash field), 'z<member>' (zset member)
// → {user hash as a flat list, then 1/0 per probe}
const SESSION_OPEN_LUA = `
    redis.call('SADD', KEYS[1], ARGV[1])
    redis.call('EXPIRE', KEYS[1], ARGV[3])
    redis.call('HSET', KEYS[2], ARGV[2], '1')
    local out = {redis.call('HGETALL', KEYS[3])}
    for i = 4, #KEYS do
      local kind = string.sub(ARGV[i], 1, 1)
      local arg = string.sub(ARGV[i], 2)
      local hit = 0
      if kind == 'k' then hit = redis.call('EXISTS', KEYS[i])
      elseif kind == 'h' then hit = redis.call('HEXISTS', KEYS[i], arg)
      elseif redis.call('ZSCORE', KEYS[i], arg) then hit = 1 end
      out[#out + 1] = hit
    end
    return out`;
export function createSessions(redis, keys) {
    return {
        /**
         * Registers the socket and reads the user record and the probes, atomically.
         * → the user hash (empty: no such user) and one boolean per probe item, in order.
         */
        async open(appid, uid, socketId, probes) {
            const kinds = probes.map((p) => ('field' in p ? `h${p.field}` : 'member' in p ? `z${p.member}` : 'k'));
            const keyList = [keys.userSockets(appid, uid), keys.online(appid), keys.user(appid, uid), ...probes.map((p) => p.key)];
            const r = (await runScript(redis, { keys: keyList.length, lua: SESSION_OPEN_LUA }, keyList, [socketId, uid, SOCKETS_TTL_SECONDS, ...kinds]));
            const flat = r[0];
            const user = {};
            for (let i = 0; i + 1 < flat.length; i += 2)
                user[flat[i]] = flat[i + 1];
            return { user, hits: r.slice(1).map((n) => n === 1) };
        },
    };
}
//# sourceMappingURL=sessions.js.map