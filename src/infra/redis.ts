// Redis connections. Every part of Switchboard talks to one Redis (or Cluster) through
// ioredis; blocking consumers (BullMQ workers, adapter subscribers) get their own.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

export function createRedis(url: string, name: string, extra: RedisOptions = {}): Redis {
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

export class RedisCheckError extends Error {
  override name = 'RedisCheckError';
}

/**
 * Refuses a Redis that would lose data or cannot run our scripts: it must answer,
 * be 6.2 or newer (7 for the sharded adapter), and evict nothing (noeviction).
 */
export async function checkRedis(redis: Redis, opts: { needsVersion7?: boolean; log?: Logger } = {}): Promise<{ version: string }> {
  let info: string;
  try {
    info = await withTimeout(redis.info(), 5000, 'Redis did not answer INFO within 5 s');
  } catch (err) {
    throw new RedisCheckError(`Redis is not reachable: ${(err as Error).message}. Check REDIS_URL, or unset it to let npm start run a private Redis.`);
  }
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  const version = field('redis_version') ?? '0';
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 6 || (major === 6 && minor < 2)) throw new RedisCheckError(`Redis ${version} is too old: Switchboard needs 6.2 or newer.`);
  if (opts.needsVersion7 && major < 7) throw new RedisCheckError(`Redis ${version}: SOCKET_ADAPTER=sharded needs Redis 7 (sharded pub/sub).`);
  const policy = field('maxmemory_policy');
  if (policy !== 'noeviction') {
    throw new RedisCheckError(
      `Redis maxmemory-policy is "${policy}": Switchboard keeps queues, tokens and ledgers there and needs "noeviction" ` +
        `(set it with CONFIG SET maxmemory-policy noeviction, or in redis.conf).`,
    );
  }
  return { version };
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(message)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
