// Redis layout of media (all in the app's slot):
//   sw:{app}:media:rec:<eventHash>       hash: data (RecordingT JSON, first write wins), linked (0|1), linkedAt
//   sw:{app}:media:room:<roomnum>:recs   zset eventHash → receivedAt (recordings of a room)
// A recording is idempotent by its event id: a replayed or duplicated callback finds the
// hash and changes nothing; once `linked` is 1 the handlers are not called again.
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import type { RecordingT } from './schemas.js';

const scripts = {
  // KEYS: recording hash, room zset. ARGV: member, score, data JSON.
  // Returns {state, data}: state 1 new, 0 stored earlier and not linked yet, 2 already linked;
  // data is the stored JSON (the first one wins, so a replay cannot rewrite it).
  sbMediaPutRecording: {
    keys: 2,
    lua: `
      local data = redis.call('HGET', KEYS[1], 'data')
      if data then
        if redis.call('HGET', KEYS[1], 'linked') == '1' then return {2, data} end
        return {0, data}
      end
      redis.call('HSET', KEYS[1], 'data', ARGV[3], 'linked', '0')
      redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
      return {1, ARGV[3]}`,
  },
  // KEYS: recording hash. ARGV: now ms. Marks it linked once every handler succeeded.
  sbMediaMarkLinked: {
    keys: 1,
    lua: `
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      redis.call('HSET', KEYS[1], 'linked', '1', 'linkedAt', ARGV[1])
      return 1`,
  },
} as const;

export type PutResult = { state: 'new' | 'pending' | 'linked'; recording: RecordingT };

export function createMediaStore(redis: RedisClient, keys: Keys) {
  const run = defineScripts(redis, scripts);
  const recKey = (appid: string, eventHash: string) => keys.scoped(appid, 'media', 'rec', eventHash);
  const roomKey = (appid: string, roomnum: number) => keys.scoped(appid, 'media', 'room', roomnum, 'recs');

  return {
    async putRecording(eventHash: string, rec: RecordingT): Promise<PutResult> {
      const [state, data] = (await run(
        'sbMediaPutRecording',
        [recKey(rec.appid, eventHash), roomKey(rec.appid, rec.roomnum)],
        [eventHash, rec.receivedAt, JSON.stringify(rec)],
      )) as [number, string];
      return { state: state === 1 ? 'new' : state === 2 ? 'linked' : 'pending', recording: JSON.parse(data) as RecordingT };
    },
    async markLinked(appid: string, eventHash: string): Promise<void> {
      await run('sbMediaMarkLinked', [recKey(appid, eventHash)], [Date.now()]);
    },
    async listRoom(appid: string, roomnum: number, limit = 100): Promise<RecordingT[]> {
      const hashes = await redis.zrange(roomKey(appid, roomnum), '0', String(limit - 1));
      if (!hashes.length) return [];
      const datas = await Promise.all(hashes.map((h) => redis.hget(recKey(appid, h), 'data')));
      return datas.filter((d): d is string => d !== null).map((d) => JSON.parse(d) as RecordingT);
    },
  };
}
