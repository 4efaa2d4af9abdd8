// The registry of open sockets and the one read a (re)connecting socket starts with.
//
//   sw:{app}:im:socks:<uid>   set of the user's open socket ids, on any node (named for web IM,
//                             its first reader; rooms read its size to skip moving sockets
//                             through the adapter when the user has no other socket)
//   sw:{app}:im:online        hash uid → 1 while the user has a socket (web IM flips it back
//                             once, when the last socket closes)
//
// `open` registers the socket, reads the user record and probes every key a snapshot part
// would read, in one script: one round trip whatever the number of features, and a feature
// the user never touched costs a HEXISTS/EXISTS instead of its reads. Registering and
// probing atomically matters: a room joined by another socket of the user after this script
// ran sees this socket in the set (and moves it through the adapter); one joined before is
// in the probe (and read by the snapshot).
import type { RedisClient } from './redis.js';
import type { Keys } from './keys.js';
import { runScript } from './scripts.js';
import { loadScripts } from './lua.js';

/** What a snapshot part looks for: a key, a field of a hash, or a member of a sorted set. */
export type ProbeItem = { key: string } | { key: string; field: string } | { key: string; member: string };

/** How long a user's socket set outlives its last write (ids of a node that died are settled by web IM). */
const SOCKETS_TTL_SECONDS = 7 * 86400;

const scripts = loadScripts('infra', ['sessionOpen'] as const);

export function createSessions(redis: RedisClient, keys: Keys) {
  return {
    /**
     * Registers the socket and reads the user record and the probes, atomically.
     * → the user hash (empty: no such user) and one boolean per probe item, in order.
     */
    async open(appid: string, uid: string, socketId: string, probes: ProbeItem[]): Promise<{ user: Record<string, string>; hits: boolean[] }> {
      const kinds = probes.map((p) => ('field' in p ? `h${p.field}` : 'member' in p ? `z${p.member}` : 'k'));
      const keyList = [keys.userSockets(appid, uid), keys.online(appid), keys.user(appid, uid), ...probes.map((p) => p.key)];
      const r = (await runScript(redis, scripts.sessionOpen, keyList, [socketId, uid, SOCKETS_TTL_SECONDS, ...kinds])) as [string[], ...number[]];
      const flat = r[0];
      const user: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) user[flat[i]!] = flat[i + 1]!;
      return { user, hits: r.slice(1).map((n) => n === 1) };
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
