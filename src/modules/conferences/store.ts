// Redis layout of conferences (all under the app's hash tag, like rooms):
//   sw:{app}:conf:c:<confId>      hash: uid (creator), vid, name, time (as given), startAt, createdAt,
//                                 state (scheduled|live|ended), pwd, endedAt, reason, emptySince,
//                                 pseq (participant order), callseq (leg counter)
//   sw:{app}:conf:p:<confId>      hash participant key → JSON {key, id?, number?, name?, state 0|1|2,
//                                 callid?, call, via, muted, dialOnStart?, n}
//   sw:{app}:conf:calls:<confId>  hash callid → participant key (every leg ever dialled or joined)
//   sw:{app}:conf:u:<uid>         zset confId → createdAt: the conferences a user created
//   sw:{app}:conf:sub:<id>        hash: the sub-account of user id (sid, token, voip, voipPwd)
//   sw:{app}:conf:voipseq         counter of VoIP account numbers
// The conference id is the id of its room (rooms module, kind `conference`).
//
// Every change of a participant is one script in lua/, which also keeps `emptySince`: set when
// a live conference has nobody in (state 1) and no call ringing, cleared otherwise. The
// script returns it while the conference is empty, and the service (re-)enqueues the
// empty-timeout job (deterministic id from that time, so re-adding is a no-op, and a job lost
// to a crash is re-created by the next change); the job ends the conference only if
// `emptySince` is still that time (sbConfEnd), so anyone arriving meanwhile cancels it.
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';
import type { ProbeItem } from '../../infra/sessions.js';

const scripts = loadScripts('modules/conferences', [
  'sbConfAdd',
  'sbConfCallAll',
  'sbConfCallState',
  'sbConfControl',
  'sbConfStart',
  'sbConfEnd',
  'sbConfAppJoin',
  'sbConfSetPwd',
  'sbConfSubAccount',
] as const);

/** A stored participant (the JSON of sw:{app}:conf:p:<confId>). */
export interface StoredParticipant {
  key: string;
  id?: string;
  number?: string;
  name?: string;
  state: 0 | 1 | 2;
  callid?: string;
  call: 'none' | 'dialling' | 'ringing' | 'connected' | 'ended' | 'failed';
  via: 'phone' | 'app' | 'none';
  muted: boolean;
  dialOnStart?: boolean;
  /** unix ms of the current leg's dial */
  dialAt?: number;
  n: number;
}

export interface Change {
  action: string;
  p: StoredParticipant;
}

/** What the participant scripts answer (cjson writes an empty array as {}: list() repairs that). */
export interface ScriptResult {
  code: number;
  changed?: Change[];
  dials?: string[];
  hangups?: string[];
  apps?: string[];
  mutes?: string[];
  unknown?: string[];
  armed?: string;
  inCount?: number;
  action?: string;
  p?: StoredParticipant;
  hangup?: string | boolean;
  prev?: string;
}

export const list = <T>(x: T[] | Record<string, never> | undefined): T[] => (Array.isArray(x) ? x : []);

const sortParts = (vals: string[]) => vals.map((j) => JSON.parse(j) as StoredParticipant).sort((a, b) => a.n - b.n);

export type ConferencesStore = ReturnType<typeof createConferencesStore>;

export function createConferencesStore(redis: RedisClient, keys: Keys, ringMs: number) {
  const run = defineScripts(redis, scripts);
  const k = (appid: string, confId: string) => ({
    conf: keys.scoped(appid, 'conf', 'c', confId),
    parts: keys.scoped(appid, 'conf', 'p', confId),
    calls: keys.scoped(appid, 'conf', 'calls', confId),
  });
  const userConfs = (appid: string, uid: string) => keys.scoped(appid, 'conf', 'u', uid);
  const json = async (p: Promise<unknown>) => JSON.parse(String(await p)) as ScriptResult;

  return {
    async create(appid: string, confId: string, fields: Record<string, string>): Promise<void> {
      await redis.multi().hset(k(appid, confId).conf, fields).zadd(userConfs(appid, fields.uid!), Number(fields.createdAt), confId).exec();
    },
    async get(appid: string, confId: string): Promise<Record<string, string> | null> {
      const h = await redis.hgetall(k(appid, confId).conf);
      return Object.keys(h).length ? h : null;
    },
    /** The hashes of several conferences in one round trip (null where there is none). */
    async getMany(appid: string, confIds: string[]): Promise<Array<Record<string, string> | null>> {
      if (confIds.length === 0) return [];
      const p = redis.pipeline();
      for (const id of confIds) p.hgetall(k(appid, id).conf);
      return ((await p.exec()) ?? []).map(([err, h]) => {
        if (err) throw err;
        return h && Object.keys(h as object).length ? (h as Record<string, string>) : null;
      });
    },
    /** The creator of a conference (undefined when there is none). */
    creator: async (appid: string, confId: string) => (await redis.hget(k(appid, confId).conf, 'uid')) ?? undefined,
    async participants(appid: string, confId: string): Promise<StoredParticipant[]> {
      return sortParts(await redis.hvals(k(appid, confId).parts));
    },
    /** The participants of several conferences in one round trip. */
    async participantsMany(appid: string, confIds: string[]): Promise<StoredParticipant[][]> {
      if (confIds.length === 0) return [];
      const p = redis.pipeline();
      for (const id of confIds) p.hvals(k(appid, id).parts);
      return ((await p.exec()) ?? []).map(([err, vals]) => {
        if (err) throw err;
        return sortParts(vals as string[]);
      });
    },
    async participant(appid: string, confId: string, key: string): Promise<StoredParticipant | null> {
      const j = await redis.hget(k(appid, confId).parts, key);
      return j ? (JSON.parse(j) as StoredParticipant) : null;
    },
    /** Conference ids a user created, newest first. */
    userConfIds: (appid: string, uid: string, limit: number) => redis.zrevrange(userConfs(appid, uid), 0, limit - 1),
    /** What session.snapshot reads: the user's conferences. */
    probe: (appid: string, uid: string): ProbeItem[] => [{ key: userConfs(appid, uid) }],

    add(
      appid: string,
      confId: string,
      now: number,
      max: number,
      dial: boolean,
      entries: Array<{ key: string; id?: string; number?: string; name?: string }>,
    ) {
      const x = k(appid, confId);
      return json(run('sbConfAdd', [x.conf, x.parts, x.calls], [confId, now, max, dial ? 1 : 0, JSON.stringify(entries), ringMs]));
    },
    callAll(appid: string, confId: string, now: number) {
      const x = k(appid, confId);
      return json(run('sbConfCallAll', [x.conf, x.parts, x.calls], [confId, now, ringMs]));
    },
    callState(appid: string, confId: string, callid: string, state: string, now: number) {
      const x = k(appid, confId);
      return json(run('sbConfCallState', [x.conf, x.parts, x.calls], [confId, callid, state, now, ringMs]));
    },
    control(appid: string, confId: string, op: 'kick' | 'mute' | 'unmute', now: number, callids: string[]) {
      const x = k(appid, confId);
      return json(run('sbConfControl', [x.conf, x.parts, x.calls], [confId, op, now, JSON.stringify(callids), ringMs]));
    },
    start(appid: string, confId: string, now: number) {
      const x = k(appid, confId);
      return json(run('sbConfStart', [x.conf, x.parts, x.calls], [confId, now, ringMs]));
    },
    end(appid: string, confId: string, now: number, reason: string, since: number | null) {
      const x = k(appid, confId);
      return json(run('sbConfEnd', [x.conf, x.parts], [now, reason, since === null ? '' : since, ringMs]));
    },
    appJoin(appid: string, confId: string, uid: string, pwd: string, now: number, max: number, name: string) {
      const x = k(appid, confId);
      return json(run('sbConfAppJoin', [x.conf, x.parts, x.calls], [confId, uid, pwd, now, max, name, ringMs]));
    },
    async setPassword(appid: string, confId: string, pwd: string): Promise<number> {
      return Number(await run('sbConfSetPwd', [k(appid, confId).conf], [pwd]));
    },
    /** The participant key of a leg, or null. */
    legOwner: (appid: string, confId: string, callid: string) => redis.hget(k(appid, confId).calls, callid),

    async subAccount(
      appid: string,
      id: string,
      fresh: { sid: string; token: string; voipPwd: string },
      now: number,
    ): Promise<{ sid: string; token: string; voip: string; voipPwd: string }> {
      const r = (await run(
        'sbConfSubAccount',
        [keys.scoped(appid, 'conf', 'sub', id), keys.scoped(appid, 'conf', 'voipseq')],
        [fresh.sid, fresh.token, fresh.voipPwd, now],
      )) as string[];
      return { sid: r[0]!, token: r[1]!, voip: r[2]!, voipPwd: r[3]! };
    },
  };
}
