// Redis layout of customer service (all in the app's hash tag):
//   sw:{app}:cs:robot            hash: nickname, createdAt, updatedAt (no hash: the app has no customer service)
//   sw:{app}:cs:seats            hash uid → JSON {nickname, kind, createdAt}
//   sw:{app}:cs:nicks            hash nickname → uid (seat login by nickname; unique per app)
//   sw:{app}:cs:c:<customer>     hash: requestId (the current dispatch request), name, seq (last message number)
//   sw:{app}:cs:h:<customer>     list of JSON messages, oldest first, capped at CS_HISTORY_MAX, TTL CS_HISTORY_TTL_SECONDS
//   sw:g:cs:guests               sorted set (global) "<appid>\n<uid>" → when the guest's session ends:
//                                the accounts of page guests are deleted then (guests sweep)
// Who holds a customer is not stored here: the dispatch request is the truth (waiting →
// offered to every online seat; accepted/active → its agent is the seat), so takeover
// stays one atomic step in dispatch's accept script.
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';
import type { ProbeItem } from '../../infra/sessions.js';

const scripts = loadScripts('modules/customerservice', ['csSeatAdd', 'csSeatRemove', 'csAppend', 'csSwapRequest'] as const);

export interface SeatRecord {
  nickname: string;
  kind: 'created' | 'linked';
  createdAt: number;
}

export type CustomerServiceStore = ReturnType<typeof createCustomerServiceStore>;

export function createCustomerServiceStore(redis: RedisClient, keys: Keys) {
  const run = defineScripts(redis, scripts);
  const k = (appid: string, ...parts: string[]) => keys.scoped(appid, 'cs', ...parts);

  return {
    async getRobot(appid: string): Promise<{ nickname: string; createdAt: number; updatedAt: number } | null> {
      const h = await redis.hgetall(k(appid, 'robot'));
      return h.nickname ? { nickname: h.nickname, createdAt: Number(h.createdAt), updatedAt: Number(h.updatedAt) } : null;
    },
    async setRobot(appid: string, nickname: string, now: number): Promise<void> {
      await redis.multi().hsetnx(k(appid, 'robot'), 'createdAt', now).hset(k(appid, 'robot'), 'nickname', nickname, 'updatedAt', now).exec();
    },
    async addSeat(appid: string, uid: string, seat: SeatRecord): Promise<1 | -1 | -2> {
      return Number(await run('csSeatAdd', [k(appid, 'seats'), k(appid, 'nicks')], [uid, seat.nickname, JSON.stringify(seat)])) as 1 | -1 | -2;
    },
    async removeSeat(appid: string, uid: string): Promise<SeatRecord | null> {
      const j = (await run('csSeatRemove', [k(appid, 'seats'), k(appid, 'nicks')], [uid])) as string | null;
      return j ? (JSON.parse(j) as SeatRecord) : null;
    },
    /** What session.snapshot reads: the seat record, the customer record. */
    probe: (appid: string, uid: string): ProbeItem[] => [{ key: k(appid, 'seats'), field: uid }, { key: k(appid, 'c', uid) }],
    async getSeat(appid: string, uid: string): Promise<SeatRecord | null> {
      const j = await redis.hget(k(appid, 'seats'), uid);
      return j ? (JSON.parse(j) as SeatRecord) : null;
    },
    async listSeats(appid: string): Promise<Array<[string, SeatRecord]>> {
      const h = await redis.hgetall(k(appid, 'seats'));
      return Object.entries(h)
        .map(([uid, j]) => [uid, JSON.parse(j) as SeatRecord] as [string, SeatRecord])
        .sort((a, b) => a[1].createdAt - b[1].createdAt);
    },
    seatByNickname: (appid: string, nickname: string) => redis.hget(k(appid, 'nicks'), nickname),

    async getCustomer(appid: string, customer: string): Promise<{ requestId: string; name: string }> {
      const [requestId, name] = await redis.hmget(k(appid, 'c', customer), 'requestId', 'name');
      return { requestId: requestId ?? '', name: name ?? '' };
    },
    async setCustomerName(appid: string, customer: string, name: string, ttlSeconds: number): Promise<void> {
      await redis
        .multi()
        .hset(k(appid, 'c', customer), 'name', name)
        .expire(k(appid, 'c', customer), ttlSeconds)
        .exec();
    },
    async swapRequest(appid: string, customer: string, expected: string, next: string, ttlSeconds: number): Promise<boolean> {
      return Number(await run('csSwapRequest', [k(appid, 'c', customer)], [expected, next, ttlSeconds])) === 1;
    },
    async append(appid: string, customer: string, message: Record<string, unknown>, max: number, ttlSeconds: number): Promise<string> {
      return String(await run('csAppend', [k(appid, 'c', customer), k(appid, 'h', customer)], [JSON.stringify(message), max, ttlSeconds]));
    },
    history: (appid: string, customer: string) => redis.lrange(k(appid, 'h', customer), 0, -1),

    /** Counts one anonymous session from `ip` in the current minute (fixed window, shared by every api node). */
    /** Remembers when a page guest's session ends, so its account can be deleted then. */
    async trackGuest(appid: string, uid: string, endsAt: number): Promise<void> {
      await redis.zadd(keys.global('cs', 'guests'), endsAt, `${appid}\n${uid}`);
    },
    /** Guests whose session ended by `now`, oldest first: [appid, uid, member]. */
    async endedGuests(now: number, limit: number): Promise<Array<[string, string, string]>> {
      const members = await redis.zrangebyscore(keys.global('cs', 'guests'), '-inf', now, 'LIMIT', 0, limit);
      return members.map((m) => {
        const [appid = '', uid = ''] = m.split('\n');
        return [appid, uid, m];
      });
    },
    async untrackGuest(member: string): Promise<void> {
      await redis.zrem(keys.global('cs', 'guests'), member);
    },
  };
}
