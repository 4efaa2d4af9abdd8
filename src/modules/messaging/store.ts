// Redis state of messaging. Keys (P = sw:{app}:msg):
//   P words            set of the app's sensitive words, normalised (matcher.ts)
//   P wordsver         integer: version of the list, bumped by every change; absent until
//                      the list is first seeded from SENSITIVE_WORDS_FILE
//   P seq              integer: ids of tip/system messages
//   P inbox:<uid>      zset JSON message → id: the user's unacknowledged tip/system messages
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';
import type { ProbeItem } from '../../infra/sessions.js';
import type { InboxMessageT } from './schemas.js';

const SCRIPTS = loadScripts('modules/messaging', ['sbMsgWordsSeed', 'sbMsgWordsEdit'] as const);

export function createMessagingStore(redis: RedisClient, keys: Keys) {
  const run = defineScripts(redis, SCRIPTS);
  const k = (appid: string, ...parts: Array<string | number>) => keys.scoped(appid, 'msg', ...parts);
  const wk = (appid: string) => [k(appid, 'words'), k(appid, 'wordsver')];

  return {
    /** The list's version, or null before it was first seeded. */
    async wordsVersion(appid: string): Promise<number | null> {
      const v = await redis.get(k(appid, 'wordsver'));
      return v === null ? null : Number(v);
    },
    async seedWords(appid: string, words: string[]): Promise<number> {
      return Number(await run('sbMsgWordsSeed', wk(appid), words));
    },
    async editWords(appid: string, op: 'sadd' | 'srem' | 'replace', words: string[]): Promise<{ version: number; changed: number; count: number }> {
      const r = (await run('sbMsgWordsEdit', wk(appid), [op, ...words])) as number[];
      return { version: Number(r[0]), changed: Number(r[1]), count: Number(r[2]) };
    },
    /** Words and the version they belong to, read together. */
    async words(appid: string): Promise<{ version: number; words: string[] }> {
      const r = await redis.multi().get(k(appid, 'wordsver')).smembers(k(appid, 'words')).exec();
      return { version: Number(r?.[0]?.[1] ?? 0), words: (r?.[1]?.[1] as string[] | undefined) ?? [] };
    },

    /** Stores one message in each target's inbox (capped, with TTL); returns its id. */
    async deliver(appid: string, targets: string[], m: Omit<InboxMessageT, 'id'>, max: number, ttlSeconds: number): Promise<InboxMessageT> {
      const id = await redis.incr(k(appid, 'seq'));
      const message: InboxMessageT = { id, ...m };
      const json = JSON.stringify(message);
      const p = redis.multi();
      for (const uid of targets) {
        const key = k(appid, 'inbox', uid);
        p.zadd(key, id, json)
          .zremrangebyrank(key, 0, -(max + 1))
          .expire(key, ttlSeconds);
      }
      await p.exec();
      return message;
    },
    /** What session.snapshot reads: the inbox. */
    probe: (appid: string, uid: string): ProbeItem[] => [{ key: k(appid, 'inbox', uid) }],
    async inbox(appid: string, uid: string): Promise<InboxMessageT[]> {
      const raw = await redis.zrange(k(appid, 'inbox', uid), '0', '-1');
      return raw.map((s) => JSON.parse(s) as InboxMessageT);
    },
    async ack(appid: string, uid: string, upTo: number): Promise<{ removed: number; left: number }> {
      const key = k(appid, 'inbox', uid);
      const r = await redis.multi().zremrangebyscore(key, '-inf', String(upTo)).zcard(key).exec();
      return { removed: Number(r?.[0]?.[1] ?? 0), left: Number(r?.[1]?.[1] ?? 0) };
    },
  };
}
