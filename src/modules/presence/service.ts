// Agents and their presence: skills (tokens or directed language pairs), capacity, and a
// state — offline, online, offered, busy — derived from status, load and pending offers.
// Generic: interpreters of the call centre and customer-service seats are both agents.
//
// Liveness: an online agent has a deadline in the app's `due` zset. A heartbeat (or any
// presence.set, or a socket connecting) moves it to now + PRESENCE_TIMEOUT_MS; a dropped
// socket pulls it in to now + PRESENCE_GRACE_MS. The `presence/sweep` scheduler job takes
// whoever is past it offline — no timer per agent, nothing per heartbeat through BullMQ.
import { idleSweep, type SweepResult } from '../../infra/sweep-loop.js';
import type { Core } from '../../infra/core.js';
import { createHook } from '../../infra/hooks.js';
import { throwOnScriptCode } from '../../infra/lua.js';
import { PRESENCE_CODES } from './lua/codes.js';
import { check } from '../../infra/validation.js';
import type { AccountsService } from '../accounts/service.js';
import { createPresenceStore, type AgentRecord } from './store.js';
import { SkillInputSchema, type AgentState, type AgentViewT, type PresenceSetInput } from './schemas.js';

/** Called when an agent goes offline (by itself or by timeout): dispatch withdraws its offers. */
export type OfflineHandler = (appid: string, uid: string) => Promise<void>;
/** Called when an agent goes online (or changes skills while online): dispatch offers it stalled requests. */
export type OnlineHandler = (appid: string, uid: string) => Promise<void>;

/** How many deadlines one sweep script reads at a time. */
const SWEEP_BATCH = 500;

/** `A<>B` → A>B and B>A; everything else as written; duplicates dropped. */
export function expandSkills(inputs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of inputs) {
    const both = s.indexOf('<>');
    if (both > 0) {
      out.add(`${s.slice(0, both)}>${s.slice(both + 2)}`);
      out.add(`${s.slice(both + 2)}>${s.slice(0, both)}`);
    } else out.add(s);
  }
  return [...out];
}

export function agentState(a: Pick<AgentRecord, 'status' | 'capacity' | 'load' | 'offers'> | null): AgentState {
  if (!a) return 'offline';
  if (a.load >= a.capacity || (a.status === 'offline' && a.load > 0)) return 'busy';
  if (a.status === 'offline') return 'offline';
  return a.offers > 0 ? 'offered' : 'online';
}

export type PresenceService = ReturnType<typeof createPresenceService>;

export function createPresenceService(core: Core, accounts: AccountsService) {
  const store = createPresenceStore(core.redis, core.keys);
  const { config, emitter, log } = core;
  const offline = createHook<Parameters<OfflineHandler>>();
  const online = createHook<Parameters<OnlineHandler>>();

  function toView(uid: string, a: AgentRecord | null): AgentViewT {
    if (!a) return { uid, state: 'offline', skills: [], capacity: 1, load: 0, offers: 0, rating: config.DISPATCH_DEFAULT_RATING, ratings: 0 };
    return {
      uid,
      state: agentState(a),
      skills: a.skills,
      capacity: a.capacity,
      load: a.load,
      offers: a.offers,
      rating: Math.round(a.rating * 100) / 100,
      ratings: a.ratings,
      ...(a.status === 'online' && a.deadline !== null ? { deadline: a.deadline } : {}),
    };
  }

  async function get(appid: string, uid: string): Promise<AgentViewT> {
    return toView(uid, await store.get(appid, uid));
  }

  async function wentOffline(appid: string, uid: string, reason: string): Promise<void> {
    await offline.run(appid, uid);
    emitter.toUser(appid, uid, 'presence.state', { uid, state: agentState(await store.get(appid, uid)), reason });
  }

  /** Skills declared in the user's profile (`profile.skills`), for agents never configured here. */
  async function profileSkills(appid: string, uid: string): Promise<string[] | null> {
    const user = await accounts.getUser(appid, uid);
    const s = user.profile.skills;
    if (!Array.isArray(s) || s.length === 0 || !s.every((x) => check(SkillInputSchema, x))) return null;
    return expandSkills(s as string[]);
  }

  return {
    get,
    /** The view of an agent record (null: never an agent → offline), for the snapshot part read from nothing. */
    viewOf: toView,
    probe: store.probe,
    keyPrefix: store.prefix,
    /** Dispatch withdraws an agent's pending offers when it goes offline. */
    onOffline: (handler: OfflineHandler) => offline.on(handler),
    /** Dispatch offers stalled requests to an agent that came online. */
    onOnline: (handler: OnlineHandler) => online.on(handler),
    /** The agent goes online (with its stored skills, or new ones) or offline. */
    async set(appid: string, uid: string, input: PresenceSetInput): Promise<AgentViewT> {
      const now = Date.now();
      let skills = input.skills ? expandSkills(input.skills) : null;
      if (!skills && input.state === 'online' && !(await store.get(appid, uid))?.skills.length) skills = await profileSkills(appid, uid);
      const r = await store.set(
        appid,
        uid,
        input.state,
        now,
        now + config.PRESENCE_TIMEOUT_MS,
        skills,
        input.capacity ?? null,
        config.DISPATCH_DEFAULT_RATING,
      );
      throwOnScriptCode(PRESENCE_CODES.sbPresenceSet, r.code, {
        AGENT_NO_SKILLS: `agent ${uid} has no skills: pass skills, or set them with PUT /v1/apps/${appid}/agents/${uid}`,
      });
      if (input.state === 'offline' && r.prev === 'online') await wentOffline(appid, uid, 'set');
      if (input.state === 'online' && (r.prev !== 'online' || skills)) await online.run(appid, uid);
      return get(appid, uid);
    },

    /** The app's backend stores an agent's skills and capacity (the agent's status is kept). */
    async configure(appid: string, uid: string, input: { skills: string[]; capacity?: number }): Promise<AgentViewT> {
      await accounts.getUser(appid, uid);
      await store.configure(appid, uid, expandSkills(input.skills), input.capacity ?? null, Date.now(), config.DISPATCH_DEFAULT_RATING);
      return get(appid, uid);
    },

    /** I am still here: moves the deadline of an online agent. */
    async heartbeat(appid: string, uid: string): Promise<{ state: AgentState; deadline?: number }> {
      await store.beat(appid, uid, Date.now() + config.PRESENCE_TIMEOUT_MS);
      const rec = await store.get(appid, uid);
      const state = agentState(rec);
      return rec === null || rec.deadline === null ? { state } : { state, deadline: rec.deadline };
    },

    /** A socket of the user connected: counts as a heartbeat of an online agent. */
    async socketOpened(appid: string, uid: string): Promise<void> {
      await store.beat(appid, uid, Date.now() + config.PRESENCE_TIMEOUT_MS);
    },
    /** A socket of the user dropped: an online agent goes offline after PRESENCE_GRACE_MS unless a socket heartbeats. */
    async socketClosed(appid: string, uid: string): Promise<void> {
      await store.pullIn(appid, uid, Date.now() + config.PRESENCE_GRACE_MS);
    },

    /** Agents with a free slot for the skill, best first (what dispatch offers to). */
    idle: (appid: string, skill: string, limit = 50) => store.idle(appid, skill, limit),

    /** Online agents with their state (online, offered, busy), at most `limit` (dashboards). */
    async online(appid: string, limit: number): Promise<{ total: number; agents: AgentViewT[] }> {
      const { total, agents } = await store.online(appid, limit);
      return { total, agents: agents.map((a) => toView(a.uid, a)) };
    },

    /** presence/sweep: takes online agents past their deadline offline, in every app. */
    async sweep(now = Date.now()): Promise<SweepResult> {
      let total = 0;
      const apps = await store.activeApps();
      // No online agent anywhere: none goes offline before one who comes online now times out,
      // or drops its socket at once (its deadline then comes in to the grace).
      if (apps.length === 0) return idleSweep(Math.min(config.PRESENCE_TIMEOUT_MS, config.PRESENCE_GRACE_MS), config.PRESENCE_SWEEP_INTERVAL_MS);
      for (const appid of apps) {
        let busy: boolean;
        for (;;) {
          const swept = await store.sweep(appid, now, SWEEP_BATCH);
          const { examined, offline } = swept;
          busy = swept.busy;
          for (const uid of offline) {
            try {
              await wentOffline(appid, uid, 'timeout');
            } catch (err) {
              log.error({ err, appid, uid }, 'offline handler failed');
            }
          }
          total += offline.length;
          if (examined < SWEEP_BATCH) break;
        }
        // An app with online agents stays without another round trip (the script said so).
        if (!busy) await store.retireIfIdle(appid);
      }
      return { count: total };
    },
  };
}
