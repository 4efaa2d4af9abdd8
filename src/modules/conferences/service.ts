// Voice conferences (seed 001) on the rooms module: a conference is a room of kind
// `conference` (so dashboards list it with every other room; app participants are its
// members), plus a participant list with call legs. Phone legs are carried by the telephony
// provider (src/providers/telephony): the service asks for dial / hangup / (un)mute through
// `conferences/command` jobs and applies the states the provider reports through
// `conferences/callState` jobs. Every participant change is one Lua transition (store.ts)
// followed by `conference.member` to the conference's socket room and the business event of
// the same name (dashboards, webhooks, metrics).
//
// Timers are BullMQ delayed jobs with deterministic ids: a scheduled start
// (conf-start.<appid>.<confId>, removed by stop) and the empty timeout
// (conf-empty.<appid>.<confId>.<emptySince>, void once someone is in again).
// Control (invite, call all, kick, mute, password, stop) belongs to the creator; the app's
// backend (app secret on the native API) may do everything.
import { randomBytes, randomInt } from 'node:crypto';
import type { Core } from '../../infra/core.js';
import { AppError } from '../../infra/errors.js';
import { throwOnScriptCode } from '../../infra/lua.js';
import { CONFERENCES_CODES } from './lua/codes.js';
import { createSmsProvider, parseNumberList } from '../../providers/sms/index.js';
import { createTelephonyProvider, type CallLeg } from '../../providers/telephony/index.js';
import type { RoomsService } from '../rooms/service.js';
import type {
  CallStateJobT,
  ConferenceMemberEventT,
  ConferenceViewT,
  ConfState,
  MemberActionT,
  ParticipantInputT,
  ParticipantViewT,
  SmsSendJobT,
  SubAccountViewT,
} from './schemas.js';
import { createConferencesStore, list, type Change, type ScriptResult, type StoredParticipant } from './store.js';

export const CONFERENCE_KIND = 'conference';
/** The reason of the `failed` report a dialled leg gets when nobody answered in TELEPHONY_RING_TIMEOUT_MS. */
export const RING_TIMEOUT = 'ring-timeout';

/** Who acts: a user (creator checks apply) or the app's backend (may do everything). */
export type Actor = { kind: 'user'; uid: string } | { kind: 'app' };

export const startJobId = (appid: string, confId: string) => `conf-start.${appid}.${confId}`;
export const emptyJobId = (appid: string, confId: string, since: number) => `conf-empty.${appid}.${confId}.${since}`;

/** `YYYY-MM-DD HH:mm:ss` in Beijing time (the seed's cloud, Ronglian, keeps Beijing time). */
export { beijingTime } from '../../providers/sms/ronglian.js';

/**
 * The start of a conference from the seed's `time`: empty (or absent, null) = now; a number or
 * digits = unix seconds (below 10^11) or ms; `YYYY-MM-DD HH:mm[:ss]` (also with `/`) = Beijing
 * time; anything else Date.parse understands with its zone (ISO 8601). Returns unix ms.
 */
export function parseStartTime(time: string | number | null | undefined, now: number): number {
  if (time === undefined || time === null || (typeof time === 'string' && time.trim() === '')) return now;
  const t = typeof time === 'number' ? String(time) : time.trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(t)) {
    const n = Number(t);
    return Math.round(n < 1e11 ? n * 1000 : n);
  }
  const local = /^([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$/.exec(t);
  if (local) {
    const [y, mo, d, h, mi, s] = local.slice(1).map((part) => Number(part ?? 0));
    return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - 8 * 3600_000;
  }
  const parsed = Date.parse(t);
  if (Number.isNaN(parsed))
    throw new AppError('VALIDATION_FAILED', `invalid time: "${t}" is not empty, unix seconds/ms, "YYYY-MM-DD HH:mm:ss" (Beijing time) or ISO 8601`);
  return parsed;
}

/** A participant's key: the user id, else the number. */
export const participantKey = (u: { id?: string; number?: string }) => (u.id ? u.id : `tel:${u.number}`);

function participantView(p: StoredParticipant): ParticipantViewT {
  return {
    key: p.key,
    ...(p.id !== undefined ? { id: p.id } : {}),
    ...(p.number !== undefined ? { number: p.number } : {}),
    ...(p.name !== undefined ? { name: p.name } : {}),
    state: p.state,
    ...(p.callid ? { callid: p.callid } : {}),
    call: p.call,
    via: p.via,
    muted: p.muted === true,
    ...(p.dialOnStart ? { dialOnStart: true } : {}),
  };
}

const randomText = (n: number, alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789') =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

export type ConferencesService = ReturnType<typeof createConferencesService>;

export function createConferencesService(core: Core, deps: { rooms: RoomsService }) {
  const { config, emitter, log, queues } = core;
  const { rooms } = deps;
  const store = createConferencesStore(core.redis, core.keys, config.TELEPHONY_RING_TIMEOUT_MS);
  const telephony = createTelephonyProvider(config, queues);
  const sms = createSmsProvider(config, log);
  const MAX = config.CONFERENCE_MAX_PARTICIPANTS;

  async function conf(appid: string, confId: string): Promise<Record<string, string>> {
    const h = await store.get(appid, confId);
    if (!h) throw new AppError('CONFERENCE_NOT_FOUND', `no conference ${confId}`);
    return h;
  }

  function toView(appid: string, confId: string, h: Record<string, string>, parts: StoredParticipant[], reveal: boolean): ConferenceViewT {
    return {
      confId,
      vid: h.vid ?? '',
      appid,
      uid: h.uid ?? '',
      name: h.name ?? '',
      state: (h.state ?? 'live') as ConfState,
      startAt: Number(h.startAt ?? 0),
      createdAt: Number(h.createdAt ?? 0),
      ...(h.endedAt ? { endedAt: Number(h.endedAt) } : {}),
      ...(h.reason ? { endReason: h.reason } : {}),
      hasPassword: (h.pwd ?? '') !== '',
      ...(reveal ? { pwd: h.pwd ?? '' } : {}),
      inCount: parts.filter((p) => p.state === 1).length,
      participantCount: parts.length,
    };
  }

  const isCreator = (h: Record<string, string>, actor: Actor) => actor.kind === 'app' || h.uid === actor.uid;

  function mustControl(confId: string, h: Record<string, string>, actor: Actor): void {
    if (!isCreator(h, actor)) throw new AppError('FORBIDDEN', `only the creator of conference ${confId} (${h.uid}) controls it`);
  }

  async function mustRead(appid: string, confId: string, h: Record<string, string>, actor: Actor): Promise<void> {
    if (isCreator(h, actor) || (actor.kind === 'user' && (await store.participant(appid, confId, actor.uid)))) return;
    throw new AppError('FORBIDDEN', `only the creator and the participants of conference ${confId} may read it`);
  }

  function failOn(confId: string, r: ScriptResult): void {
    throwOnScriptCode(CONFERENCES_CODES.all, r.code, {
      CONFERENCE_NOT_FOUND: `no conference ${confId}`,
      CONFERENCE_ENDED: `conference ${confId} has ended`,
      CONFERENCE_FULL: `conference ${confId} has ${MAX} participants (CONFERENCE_MAX_PARTICIPANTS)`,
      CONFERENCE_NOT_STARTED: `conference ${confId} has not started yet`,
      CONFERENCE_PASSWORD: `conference ${confId} needs its password`,
      PARTICIPANT_NOT_FOUND: { message: `no call ${list(r.unknown).join(', ')} in conference ${confId}`, details: { unknown: list(r.unknown) } },
    });
  }

  /**
   * The creator, when they are not in the conference's room: they control it (often from a
   * backend or a console that never joins), so their sockets hear every change too. A creator
   * who joined hears it through the room (never twice).
   */
  async function creatorOutside(appid: string, confId: string, creatorUid?: string): Promise<string | null> {
    const uid = creatorUid ?? (await store.creator(appid, confId));
    if (!uid) return null;
    const p = await store.participant(appid, confId, uid);
    return p && p.via === 'app' && p.state === 1 ? null : uid;
  }

  /** conference.member to the conference's sockets (and the creator's), and the business event (dashboards, sinks). */
  async function announce(
    appid: string,
    confId: string,
    action: MemberActionT,
    p: StoredParticipant,
    inCount: number,
    creator?: string | null,
  ): Promise<void> {
    const ev: ConferenceMemberEventT = { confId, action, participant: participantView(p), inCount };
    emitter.toRoom(appid, confId, 'conference.member', ev);
    const outside = creator === undefined ? await creatorOutside(appid, confId) : creator;
    if (outside) emitter.toUser(appid, outside, 'conference.member', ev);
    await core.events.publish(appid, 'conference.member', ev, { orderKey: `room:${confId}` });
  }

  async function command(appid: string, confId: string, callid: string, action: 'dial' | 'hangup' | 'mute'): Promise<void> {
    // A leg nobody answers fails after TELEPHONY_RING_TIMEOUT_MS, whatever the carrier says (or does not).
    if (action === 'dial')
      await queues.add(
        'conferences',
        'callState',
        { appid, confId, callid, state: 'failed', reason: RING_TIMEOUT },
        { delay: config.TELEPHONY_RING_TIMEOUT_MS, jobId: `conf-ringtimeout.${appid}.${confId}.${callid}` },
      );
    // dial and hangup happen once per leg (deterministic id); mute is sent each time (the job reads the current flag).
    await queues.add(
      'conferences',
      'command',
      { appid, confId, callid, action },
      action === 'mute' ? {} : { jobId: `conf-cmd.${appid}.${confId}.${callid}.${action}` },
    );
  }

  async function armEmpty(appid: string, confId: string, armed: string | undefined): Promise<void> {
    if (!armed || config.CONFERENCE_EMPTY_TIMEOUT_MS === 0) return;
    const since = Number(armed);
    const delay = Math.max(0, since + config.CONFERENCE_EMPTY_TIMEOUT_MS - Date.now());
    await queues.add('conferences', 'emptyTimeout', { appid, confId, since }, { delay, jobId: emptyJobId(appid, confId, since) });
  }

  /**
   * After a participant script: the provider's commands first (they matter most if something
   * fails half-way), then each change announced, kicked app participants out of the room, the
   * empty timer armed. `creatorUid`: the conference's creator when the caller has read it.
   */
  async function apply(appid: string, confId: string, r: ScriptResult, creatorUid?: string): Promise<ParticipantViewT[]> {
    const changed: Change[] = list(r.changed);
    const inCount = r.inCount ?? 0;
    for (const callid of list(r.dials)) await command(appid, confId, callid, 'dial');
    for (const callid of list(r.hangups)) await command(appid, confId, callid, 'hangup');
    for (const callid of list(r.mutes)) await command(appid, confId, callid, 'mute');
    const creator = changed.length ? await creatorOutside(appid, confId, creatorUid) : null;
    for (const c of changed) await announce(appid, confId, c.action as MemberActionT, c.p, inCount, creator);
    // Kicked app participants leave the room (after their `kicked` event, on the same channel).
    for (const uid of list(r.apps)) {
      await rooms.admit(appid, confId, uid, false);
      await rooms
        .leave(appid, confId, uid)
        .catch((err: unknown) => log.warn({ err, appid, confId, uid }, 'could not take a kicked participant out of the room'));
    }
    await armEmpty(appid, confId, r.armed);
    return changed.map((c) => participantView(c.p));
  }

  /** Ends the conference; returns its record and participants as ended, or null when it had ended already (or `since` no longer holds). */
  async function end(
    appid: string,
    confId: string,
    reason: string,
    since: number | null = null,
  ): Promise<{ h: Record<string, string>; parts: StoredParticipant[] } | null> {
    const r = await store.end(appid, confId, Date.now(), reason, since);
    throwOnScriptCode(CONFERENCES_CODES.all, r.code, { CONFERENCE_NOT_FOUND: `no conference ${confId}` });
    if (r.code === 0) {
      // Already ended: make sure its room is closed too (a process that died between the two left it open; closing twice is a no-op).
      if (r.prev === 'ended') await rooms.close(appid, confId, 'ended');
      return null;
    }
    if (r.prev === 'scheduled')
      await queues
        .get('conferences')
        .remove(startJobId(appid, confId))
        .catch((err: unknown) => log.warn({ err, appid, confId }, 'could not remove the start job (it re-checks)'));
    for (const callid of list(r.hangups)) await command(appid, confId, callid, 'hangup');
    const h = await conf(appid, confId);
    const creator = await creatorOutside(appid, confId, h.uid);
    for (const c of list(r.changed)) await announce(appid, confId, 'ended', c.p, 0, creator);
    const parts = await store.participants(appid, confId);
    await rooms.close(appid, confId, 'ended', toView(appid, confId, h, parts, false));
    return { h, parts };
  }

  // The room's generic end (its host through /v1/rooms/:id/end, or the host timing out) ends the conference.
  rooms.onEnd(CONFERENCE_KIND, async (appid, roomId, reason) => void (await end(appid, roomId, reason)));
  // An app participant leaving the room (or timing out of it) leaves the conference.
  rooms.onMemberGone(CONFERENCE_KIND, async (appid, roomId, uid) => void (await appLeft(appid, roomId, uid)));

  async function appLeft(appid: string, confId: string, uid: string): Promise<void> {
    const p = await store.participant(appid, confId, uid);
    if (!p || p.via !== 'app' || !p.callid || p.call !== 'connected') return;
    const r = await store.callState(appid, confId, p.callid, 'hungup', Date.now());
    if (r.code === 1 && r.p) {
      await announce(appid, confId, 'left', r.p, r.inCount ?? 0);
      await armEmpty(appid, confId, r.armed);
    }
  }

  return {
    get: async (appid: string, confId: string, actor: Actor): Promise<ConferenceViewT> => {
      const h = await conf(appid, confId);
      await mustRead(appid, confId, h, actor);
      // Every reader (the creator, a participant, the app) sees the password: an invited
      // participant needs it to join, and seed 001 reads an empty pwd as "no password".
      return toView(appid, confId, h, await store.participants(appid, confId), true);
    },

    /** Conferences `uid` created, newest first (at most 200). */
    async listByCreator(appid: string, uid: string): Promise<ConferenceViewT[]> {
      const ids = await store.userConfIds(appid, uid, 200);
      const hs = await store.getMany(appid, ids);
      const found = ids.flatMap((id, i) => (hs[i] ? [{ id, h: hs[i] }] : []));
      const parts = await store.participantsMany(
        appid,
        found.map((f) => f.id),
      );
      return found.map((f, i) => toView(appid, f.id, f.h, parts[i]!, true));
    },

    /**
     * session.snapshot: the caller's conferences not ended yet among the 20 they created last, so a
     * reconnecting creator re-reads their participants instead of depending on missed events.
     * (Conferences they are in from the app are in the snapshot's `rooms`, kind `conference`.)
     */
    probe: store.probe,
    /** session.snapshot part (`found`: the probe saw the user's conference list). */
    async snapshot(
      appid: string,
      uid: string,
      found = true,
    ): Promise<Array<{ confId: string; name: string; state: ConfState; startAt: number; inCount: number }>> {
      if (!found) return [];
      const ids = await store.userConfIds(appid, uid, 20);
      const hs = await store.getMany(appid, ids);
      const open = ids.flatMap((id, i) => (hs[i] && hs[i].state !== 'ended' ? [{ id, h: hs[i] }] : []));
      const parts = await store.participantsMany(
        appid,
        open.map((o) => o.id),
      );
      return open.map((o, i) => {
        const v = toView(appid, o.id, o.h, parts[i]!, true);
        return { confId: o.id, name: v.name, state: v.state, startAt: v.startAt, inCount: v.inCount };
      });
    },

    async participants(appid: string, confId: string, actor: Actor): Promise<{ confId: string; state: ConfState; participants: ParticipantViewT[] }> {
      const h = await conf(appid, confId);
      await mustRead(appid, confId, h, actor);
      return { confId, state: (h.state ?? 'live') as ConfState, participants: (await store.participants(appid, confId)).map(participantView) };
    },

    /** A conference now (`time` empty) or scheduled; the creator hosts its room. */
    async create(appid: string, uid: string, input: { name: string; time?: string | number | null; pwd?: string }): Promise<ConferenceViewT> {
      const now = Date.now();
      const startAt = parseStartTime(input.time, now);
      // A time less than a second ahead (or past) starts now: a delayed job would only add lag.
      const scheduled = startAt > now + 1000;
      const state: ConfState = scheduled ? 'scheduled' : 'live';
      const room = await rooms.create(appid, { kind: CONFERENCE_KIND, host: uid, label: state, started: !scheduled, door: 'invite' });
      const confId = room.roomId;
      const fields: Record<string, string> = {
        uid,
        vid: randomBytes(16).toString('hex'),
        name: input.name,
        time: input.time === undefined || input.time === null ? '' : String(input.time),
        startAt: String(scheduled ? startAt : now),
        createdAt: String(now),
        state,
        pwd: input.pwd ?? '',
        pseq: '0',
        callseq: '0',
        ...(scheduled ? {} : { emptySince: String(now) }),
      };
      try {
        await store.create(appid, confId, fields);
      } catch (err) {
        // No conference behind the room: close it rather than leave an empty open room listed.
        await rooms.close(appid, confId, 'ended').catch(() => undefined);
        throw err;
      }
      if (scheduled) await queues.add('conferences', 'start', { appid, confId }, { delay: startAt - now, jobId: startJobId(appid, confId) });
      else await armEmpty(appid, confId, String(now));
      const view = toView(appid, confId, fields, [], true);
      await rooms.announceState(appid, confId, state, view);
      return view;
    },

    /** joinConf (dial false) lists people; inviteConf (dial true) also dials those with a number. */
    async add(appid: string, confId: string, actor: Actor, users: ParticipantInputT[], dial: boolean): Promise<ParticipantViewT[]> {
      const h = await conf(appid, confId);
      mustControl(confId, h, actor);
      const seen = new Map<string, { key: string; id?: string; number?: string; name?: string }>();
      for (const u of users) {
        if (!u.id && !u.number) throw new AppError('VALIDATION_FAILED', 'invalid users: each needs an id or a number');
        const key = participantKey(u);
        seen.set(key, {
          ...seen.get(key),
          key,
          ...(u.id ? { id: u.id } : {}),
          ...(u.number ? { number: u.number } : {}),
          ...(u.name !== undefined ? { name: u.name } : {}),
        });
      }
      const r = await store.add(appid, confId, Date.now(), MAX, dial, [...seen.values()]);
      failOn(confId, r);
      return apply(appid, confId, r, h.uid);
    },

    async callAll(appid: string, confId: string, actor: Actor): Promise<ParticipantViewT[]> {
      const h = await conf(appid, confId);
      mustControl(confId, h, actor);
      const r = await store.callAll(appid, confId, Date.now());
      failOn(confId, r);
      return apply(appid, confId, r, h.uid);
    },

    /** quitConf (kick), muteConf, unmuteConf on a batch of legs: all of this conference, or nothing changes. */
    async control(appid: string, confId: string, actor: Actor, op: 'kick' | 'mute' | 'unmute', callids: string[]): Promise<ParticipantViewT[]> {
      const h = await conf(appid, confId);
      mustControl(confId, h, actor);
      const r = await store.control(appid, confId, op, Date.now(), [...new Set(callids)]);
      failOn(confId, r);
      return apply(appid, confId, r, h.uid);
    },

    /** Sets or clears the password; returns the conference as its controller reads it. */
    async setPassword(appid: string, confId: string, actor: Actor, pwd: string): Promise<ConferenceViewT> {
      mustControl(confId, await conf(appid, confId), actor);
      const r = await store.setPassword(appid, confId, pwd);
      failOn(confId, { code: r });
      return toView(appid, confId, await conf(appid, confId), await store.participants(appid, confId), true);
    },

    /** stopConf: ends it (a scheduled one never starts), hangs up every leg. Stopping twice is not an error. */
    async stop(appid: string, confId: string, actor: Actor): Promise<ConferenceViewT> {
      const h = await conf(appid, confId);
      mustControl(confId, h, actor);
      const ended = await end(appid, confId, 'stopped');
      if (ended) return toView(appid, confId, ended.h, ended.parts, true);
      return toView(appid, confId, await conf(appid, confId), await store.participants(appid, confId), true);
    },

    /** A user enters from the app (password unless they created it); their sockets follow the room. */
    async join(
      appid: string,
      confId: string,
      uid: string,
      pwd: string | undefined,
      name = '',
    ): Promise<{ conference: ConferenceViewT; participant: ParticipantViewT }> {
      const r = await store.appJoin(appid, confId, uid, pwd ?? '', Date.now(), MAX, name);
      failOn(confId, r);
      await rooms.admit(appid, confId, uid);
      await rooms.join(appid, confId, uid);
      if (r.code === 1 && r.p) await announce(appid, confId, 'joined', r.p, r.inCount ?? 0);
      if (typeof r.hangup === 'string' && r.hangup) await command(appid, confId, r.hangup, 'hangup');
      const h = await conf(appid, confId);
      return {
        conference: toView(appid, confId, h, await store.participants(appid, confId), isCreator(h, { kind: 'user', uid })),
        participant: participantView(r.p!),
      };
    },

    async leave(appid: string, confId: string, uid: string): Promise<{ left: boolean }> {
      await conf(appid, confId);
      const before = await store.participant(appid, confId, uid);
      await appLeft(appid, confId, uid);
      await rooms.leave(appid, confId, uid);
      return { left: before?.via === 'app' && before.call === 'connected' };
    },

    /** The sub-account of user `id` (seed getUser): created on the first call, the same ever after. */
    async subAccount(appid: string, id: string): Promise<SubAccountViewT> {
      const s = await store.subAccount(
        appid,
        id,
        { sid: randomBytes(16).toString('hex'), token: randomBytes(16).toString('hex'), voipPwd: randomText(8) },
        Date.now(),
      );
      return { id: s.sid, token: s.token, voip: s.voip, voipPwd: s.voipPwd };
    },

    /** SMS notices (seed sendNotice): every number valid or none is sent; one job with retries per number. */
    async sendNotice(
      appid: string,
      input: { mps: string | string[]; datas?: string[]; templateId?: string },
    ): Promise<{ noticeId: string; numbers: string[] }> {
      const { numbers, invalid } = parseNumberList(input.mps);
      if (invalid.length)
        throw new AppError(
          'INVALID_NUMBER',
          `not a mobile number: ${invalid.join(', ')} (mainland 1xxxxxxxxxx, optionally +86, or +<country code><number>)`,
          { invalid },
        );
      if (numbers.length === 0) throw new AppError('VALIDATION_FAILED', 'invalid mps: no phone number given');
      if (numbers.length > 200) throw new AppError('VALIDATION_FAILED', 'invalid mps: at most 200 numbers at once');
      const noticeId = randomBytes(8).toString('hex');
      for (const to of numbers) {
        const job: SmsSendJobT = { appid, noticeId, to, templateId: input.templateId ?? config.RONGLIAN_TEMPLATE_ID, datas: input.datas ?? [] };
        await queues.add('sms', 'send', job, { jobId: `sms.${appid}.${noticeId}.${to}` });
      }
      return { noticeId, numbers };
    },

    // ── jobs ─────────────────────────────────────────────────────────────────
    /** conferences/start: the scheduled start. */
    async start(job: { appid: string; confId: string }): Promise<{ started: boolean }> {
      const r = await store.start(job.appid, job.confId, Date.now());
      throwOnScriptCode(CONFERENCES_CODES.all, r.code, { CONFERENCE_NOT_FOUND: `no conference ${job.confId}` });
      if (r.code === 0) return { started: false };
      const h = await conf(job.appid, job.confId);
      await rooms.announceState(
        job.appid,
        job.confId,
        'live',
        toView(job.appid, job.confId, h, await store.participants(job.appid, job.confId), false),
      );
      await rooms.publishStarted(job.appid, { roomId: job.confId, kind: CONFERENCE_KIND, host: h.uid ?? '' });
      await apply(job.appid, job.confId, r, h.uid);
      return { started: true };
    },

    /** conferences/emptyTimeout: ends the conference if nobody came since `since`. */
    async emptyTimeout(job: { appid: string; confId: string; since: number }): Promise<{ ended: boolean }> {
      return { ended: (await end(job.appid, job.confId, 'empty', job.since)) !== null };
    },

    /** conferences/command: one provider command for a leg that still needs it. */
    async command(job: { appid: string; confId: string; callid: string; action: 'dial' | 'hangup' | 'mute' }): Promise<{ sent: string | null }> {
      const h = await conf(job.appid, job.confId);
      const key = await store.legOwner(job.appid, job.confId, job.callid);
      const p = key ? await store.participant(job.appid, job.confId, key) : null;
      const leg: CallLeg = { appid: job.appid, confId: job.confId, vid: h.vid ?? '', callid: job.callid };
      const current = p !== null && p.callid === job.callid;
      if (job.action === 'dial') {
        // Stopped or kicked before the job ran: nothing to dial.
        if (!current || (p.call !== 'dialling' && p.call !== 'ringing') || !p.number) return { sent: null };
        await telephony.execute({ action: 'dial', leg, number: p.number, ...(p.name ? { name: p.name } : {}) });
        return { sent: 'dial' };
      }
      if (job.action === 'hangup') {
        await telephony.execute({ action: 'hangup', leg });
        return { sent: 'hangup' };
      }
      if (!current || p.call !== 'connected') return { sent: null };
      const action = p.muted ? 'mute' : 'unmute';
      await telephony.execute({ action, leg });
      return { sent: action };
    },

    /** conferences/callState: a provider's report on a leg, applied once. */
    async callState(job: CallStateJobT): Promise<{ applied: string | null }> {
      const r = await store.callState(job.appid, job.confId, job.callid, job.state, Date.now());
      failOn(job.confId, r);
      if (r.hangup === true) await command(job.appid, job.confId, job.callid, 'hangup');
      if (r.code !== 1 || !r.p) return { applied: null };
      // Our own ring timeout: the carrier may still be ringing it.
      if (job.reason === RING_TIMEOUT && r.action === 'failed') await command(job.appid, job.confId, job.callid, 'hangup');
      const action = (r.action === 'hungup' && r.p.via === 'app' ? 'left' : r.action) as MemberActionT;
      await announce(job.appid, job.confId, action, r.p, r.inCount ?? 0);
      await armEmpty(job.appid, job.confId, r.armed);
      return { applied: action };
    },

    /** sms/send: one SMS through the provider (throws to retry). */
    async sendSms(job: SmsSendJobT): Promise<{ messageId: string; provider: string }> {
      const r = await sms.send({ to: job.to, templateId: job.templateId, datas: job.datas });
      return { messageId: r.messageId, provider: sms.name };
    },
  };
}
