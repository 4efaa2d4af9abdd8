// Redis connections. Every part of Switchboard talks to one Redis (or Cluster) through
// ioredis; blocking consumers (BullMQ workers, adapter subscribers) get their own.
import { Redis } from 'ioredis';
export function createRedis(url, name, extra = {}) {
    return new Redis(url, {
        connectionName: `switchboard:${name}`,
        // BullMQ requires null here for its blocking connections; for plain commands it
        // means a command waits for a reconnect instead of failing after 20 tries.
        maxRetriesPerRequest: null,
        enableReadyCheck: true,
        lazyConnect: false,
        ...extra,
    });
}
/**
 * The connection a process sends its own commands on (services, queue producers, the
 * adapter's publisher). Auto-pipelining writes every command issued in the same tick in
 * one socket write: a connect + snapshot + join that issues a dozen commands at once costs
 * one write and one Redis read instead of a dozen (the api spent most of its CPU in
 * per-command writes before). Never for BullMQ workers' blocking connections: they are
 * made with createRedis, and blocking reads are kept out of the batches anyway.
 */
export function createCommandRedis(url, name, extra = {}) {
    return createRedis(url, name, { enableAutoPipelining: true, autoPipeliningIgnoredCommands: ['xread', 'bzpopmin', 'bzpopmax', 'blpop', 'brpop', 'blmove', 'brpoplpush', 'xreadgroup'], ...extra });
}
/**
 * Closes connections after what was issued on them is sent: auto-pipelined commands leave
 * on the next turn of the event loop (setImmediate), while QUIT goes at once, so quitting
 * straight away would fail the last batch (a socket's session saved by the adapter at its
 * close, say) with "Connection is closed".
 */
export async function quitAll(connections) {
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
}
export class RedisCheckError extends Error {
    name = 'RedisCheckError';
}
/**
 * Refuses a Redis that would lose data or cannot run our scripts: it must answer,
 * be 6.2 or newer (7 for the sharded adapter), and evict nothing (noeviction).
 */
export async function checkRedis(redis, opts = {}) {
    let info;
    try {
        info = await withTimeout(redis.info(), 5000, 'Redis did not answer INFO within 5 s');
    }
    catch (err) {
        throw new RedisCheckError(`Redis is not reachable: ${err.message}. Check REDIS_URL, or unset it to let npm start run a private Redis.`);
    }
    const field = (name) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
    const version = field('redis_version') ?? '0';
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < 6 || (major === 6 && minor < 2))
        throw new RedisCheckError(`Redis ${version} is too old: Switchboard needs 6.2 or newer.`);
    if (opts.needsVersion7 && major < 7)
        throw new RedisCheckError(`Redis ${version}: SOCKET_ADAPTER=sharded needs Redis 7 (sharded pub/sub).`);
    const policy = field('maxmemory_policy');
    if (policy !== 'noeviction') {
        throw new RedisCheckError(`Redis maxmemory-policy is "${policy}": Switchboard keeps queues, tokens and ledgers there and needs "noeviction" ` +
            `(set it with CONFIG SET maxmemory-policy noeviction, or in redis.conf).`);
    }
    return { version };
}
export function withTimeout(p, ms, message) {
    return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(message)), ms);
        p.then((v) => {
            clearTimeout(t);
            resolve(v);
        }, (e) => {
            clearTimeout(t);
            reject(e);
        });
    });
}
//# sourceMappingURL=redis.js.map