// Redis layout of media (all in the app's slot):
//   sw:{app}:media:rec:<eventHash>       hash: data (RecordingT JSON, first write wins), linked (0|1), linkedAt
//   sw:{app}:media:room:<roomnum>:recs   zset eventHash → receivedAt (recordings of a room)
// A recording is idempotent by its event id: a replayed or duplicated callback finds the
// hash and changes nothing; once `linked` is 1 the handlers are not called again.
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';
import type { RecordingT } from './schemas.js';

const scripts = loadScripts('modules/media', ['sbMediaPutRecording', 'sbMediaMarkLinked'] as const);

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
