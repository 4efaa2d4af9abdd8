// Generic rooms: membership, heartbeats, timeouts and chat, reused by the classroom,
// conferences and live streams. A room belongs to one feature (its `kind`); that feature
// registers how such a room ends (`onEnd`), which the host timeout and the generic close
// call, so a course ended by a timeout is ended exactly as if the teacher had ended it.
//
// Heartbeats only move a score in the app's deadline zset; the `rooms/sweep` scheduler job
// removes whoever is past their deadline. A host who times out gets one delayed
// `rooms/hostTimeout` job (deterministic id) that ends the room after ROOM_HOST_GRACE_MS
// unless the host came back.
import { idleSweep, type SweepResult } from '../../infra/sweep-loop.js';
import type { Core } from '../../infra/core.js';
import { AppError } from '../../infra/errors.js';
import { throwOnScriptCode } from '../../infra/lua.js';
import { ROOMS_CODES } from './lua/codes.js';
import type { DomainEventName } from '../../infra/events.js';
import { createAppBatches } from '../../infra/app-batches.js';
import { createMemberBatches } from './member-batches.js';
import { createRoomsStore } from './store.js';
import type { HostTimeoutJobT, MemberActionT, MemberViewT, RoomMessageT, RoomState, RoomViewT } from './schemas.js';

/** Hears a member of a room of one kind leave or time out, after the rooms module removed them. */
export type RoomMemberGoneHandler = (appid: string, roomId: string, uid: string, action: 'left' | 'timed-out') => Promise<void>;

/** Ends a room of one kind (e.g. classroom → the course's exitroom). */
export type RoomEndHandler = (appid: string, roomId: string, reason: 'host-timeout' | 'closed-by-host') => Promise<void>;

/** The business event of each membership change (core.events: dashboards, webhooks, metrics). */
const MEMBER_EVENTS = { joined: 'room.member.joined', left: 'room.member.left', 'timed-out': 'room.member.timedout' } as const satisfies Record<
  MemberActionT,
  DomainEventName
>;

/** How many deadlines one sweep script reads at a time (bounds the time Redis is busy). */
const SWEEP_BATCH = 500;
/** A host timeout still in the hostgone set this long after it was marked is enqueued again (its worker may have died before enqueuing it). */
const HOST_GONE_REENQUEUE_AFTER_MS = 5000;

export const hostTimeoutJobId = (appid: string, roomId: string, since: number) => `room-host-timeout.${appid}.${roomId}.${since}`;

function toView(roomId: string, h: Record<string, string>, memsize: number): RoomViewT {
  return {
    roomId,
    kind: h.kind ?? 'room',
    host: h.host ?? '',
    state: (h.state ?? 'open') as RoomState,
    groupid: h.groupid ?? roomId,
    memsize,
    imseq: Number(h.imseq ?? 0),
    createdAt: Number(h.createdAt ?? 0),
    ...(h.closedAt ? { closedAt: Number(h.closedAt) } : {}),
  };
}

export type RoomsService = ReturnType<typeof createRoomsService>;

export function createRoomsService(core: Core) {
  const store = createRoomsStore(core.redis, core.keys);
  const { config, emitter, log } = core;
  const enders = new Map<string, RoomEndHandler>();
  const goneListeners = new Map<string, RoomMemberGoneHandler>();
  const memberBatches = createMemberBatches(emitter, { above: config.ROOM_MEMBER_BATCH_ABOVE, windowMs: config.ROOM_MEMBER_BATCH_MS });
  // Heartbeats arriving within ROOM_HEARTBEAT_BATCH_MS go as one script per app. 25 ms by
  // default: against 5 ms it cut the api's CPU for 5,000 members beating every 3 s by a fifth
  // (docs/benchmarks.md), and an answer 25 ms later is nothing beside a 3 s beat and a 10 s deadline.
  const beats = createAppBatches(async (appid, items: Array<{ roomId: string; uid: string }>) => {
    const deadline = Date.now() + config.ROOM_MEMBER_TIMEOUT_MS;
    return (await store.beat(appid, items, deadline)).map((r) => ({ ...r, deadline }));
  }, config.ROOM_HEARTBEAT_BATCH_MS);

  /** Tells the room's feature that a member left or timed out (conference: that participant's leg ends). */
  async function memberGone(appid: string, m: { roomId: string; uid: string; kind: string }, action: 'left' | 'timed-out'): Promise<void> {
    const fn = goneListeners.get(m.kind);
    if (fn)
      await fn(appid, m.roomId, m.uid, action).catch((err: unknown) =>
        log.error({ err, appid, roomId: m.roomId, uid: m.uid }, 'member-gone handler failed'),
      );
  }

  async function get(appid: string, roomId: string): Promise<RoomViewT> {
    const r = await store.get(appid, roomId);
    if (!r) throw new AppError('ROOM_NOT_FOUND', `no room ${roomId}`);
    return toView(roomId, r.fields, r.memsize);
  }

  /** Called once per membership change, after its script committed it (a no-op retry publishes nothing). */
  async function announceMember(
    appid: string,
    m: { roomId: string; uid: string; action: MemberActionT; role: string; memsize: number; kind: string; host: string; label: string },
  ) {
    memberBatches.announce(appid, m);
    emitter.toDashboard(appid, 'room.state', { roomId: m.roomId, kind: m.kind, state: m.label, host: m.host, memsize: m.memsize });
    await core.events.publish(
      appid,
      MEMBER_EVENTS[m.action],
      { roomId: m.roomId, kind: m.kind, uid: m.uid, role: m.role, memsize: m.memsize },
      { orderKey: `room:${m.roomId}` },
    );
  }

  /** room.started, once per room: at creation for a room that is live at once, at its start for a feature's room (a course). */
  async function publishStarted(
    appid: string,
    room: { roomId: string; kind: string; host: string },
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await core.events.publish(
      appid,
      'room.started',
      { roomId: room.roomId, kind: room.kind, host: room.host, ...extra },
      { orderKey: `room:${room.roomId}` },
    );
  }

  /** The host is back before the grace ran out: drop the pending job (the job also re-checks, so a failed removal is harmless). */
  async function cancelHostTimeout(appid: string, roomId: string, since: string): Promise<void> {
    if (!since) return;
    await core.queues
      .get('rooms')
      .remove(hostTimeoutJobId(appid, roomId, Number(since)))
      .catch((err: unknown) => log.warn({ err, appid, roomId }, 'could not remove host timeout job'));
  }

  async function enter(appid: string, roomId: string, uid: string, role: string) {
    const now = Date.now();
    const r = await store.enter(appid, roomId, uid, role, now, now + config.ROOM_MEMBER_TIMEOUT_MS);
    throwOnScriptCode(ROOMS_CODES.sbRoomEnter, r.code, {
      ROOM_NOT_FOUND: `no room ${roomId}`,
      ROOM_CLOSED: `room ${roomId} is closed`,
      FORBIDDEN: `room ${roomId} admits invited members only (its feature admits them: a conference after its password)`,
    });
    if (r.code === 1) {
      emitter.joinRoomOf(appid, uid, roomId, r.sockets);
      await announceMember(appid, { roomId, uid, action: 'joined', role: r.role, memsize: r.memsize, kind: r.kind, host: r.host, label: r.label });
      await cancelHostTimeout(appid, roomId, r.hostGoneAt);
    }
    return { joined: r.code === 1, memsize: r.memsize, role: r.role, deadline: now + config.ROOM_MEMBER_TIMEOUT_MS };
  }

  async function close(appid: string, roomId: string, label = 'closed', detail?: Record<string, unknown>): Promise<boolean> {
    const room = await get(appid, roomId);
    const r = await store.close(appid, roomId, Date.now(), label);
    throwOnScriptCode(ROOMS_CODES.sbRoomClose, r.code, { ROOM_NOT_FOUND: `no room ${roomId}` });
    if (r.code === 0) return false;
    const state = { roomId, kind: room.kind, state: label, host: room.host, memsize: 0, ...(detail ? { detail } : {}) };
    // Members hear the close, then the socket room is emptied (same adapter channel: in order).
    emitter.toRoom(appid, roomId, 'room.state', state);
    emitter.toDashboard(appid, 'room.state', state);
    emitter.clearRoom(appid, roomId);
    await core.events.publish(appid, 'room.ended', { roomId, kind: room.kind, host: room.host, state: label }, { orderKey: `room:${roomId}` });
    return true;
  }

  return {
    get,
    close,
    /** Sends the pending batched membership changes and heartbeats now (shutdown). */
    flushBatches(): void {
      memberBatches.flush();
      beats.flush();
    },

    /** The feature owning rooms of `kind` says how they end (host timeout, generic close). */
    onEnd(kind: string, handler: RoomEndHandler): void {
      enders.set(kind, handler);
    },
    ownsKind: (kind: string) => enders.has(kind),
    /** The feature owning rooms of `kind` hears members leave or time out. */
    onMemberGone(kind: string, handler: RoomMemberGoneHandler): void {
      goneListeners.set(kind, handler);
    },
    /** Admits `uid` to (or keeps them out of) a room created with `door: 'invite'`. */
    admit: (appid: string, roomId: string, uid: string, admitted = true) => store.admit(appid, roomId, uid, admitted),
    publishStarted,

    /**
     * A new open room with a server-allocated id (per app, increasing); groupid defaults to the id.
     * `started: false` for a feature's room that goes live later (it calls publishStarted then).
     */
    async create(
      appid: string,
      input: { kind: string; host: string; groupid?: string; label?: string; started?: boolean; door?: 'invite' },
    ): Promise<RoomViewT> {
      const roomId = await store.allocate(appid);
      const now = Date.now();
      const fields = {
        kind: input.kind,
        host: input.host,
        state: 'open',
        label: input.label ?? 'open',
        groupid: input.groupid ?? roomId,
        imseq: '0',
        createdAt: String(now),
        ...(input.door ? { door: input.door } : {}),
      };
      await store.create(appid, roomId, fields);
      if (input.started !== false) await publishStarted(appid, { roomId, kind: input.kind, host: input.host });
      return toView(roomId, fields, 0);
    },

    async setGroupId(appid: string, roomId: string, uid: string, groupid: string): Promise<RoomViewT> {
      const room = await get(appid, roomId);
      if (room.host !== uid) throw new AppError('FORBIDDEN', 'only the host reports the IM group id');
      if (!(await store.set(appid, roomId, { groupid }))) throw new AppError('ROOM_NOT_FOUND', `no room ${roomId}`);
      return { ...room, groupid };
    },

    /** Sets the owning feature's state name and tells the room and the dashboards. */
    async announceState(appid: string, roomId: string, label: string, detail?: Record<string, unknown>): Promise<void> {
      const room = await get(appid, roomId);
      await store.set(appid, roomId, { label });
      const state = { roomId, kind: room.kind, state: label, host: room.host, memsize: room.memsize, ...(detail ? { detail } : {}) };
      emitter.toRoom(appid, roomId, 'room.state', state);
      emitter.toDashboard(appid, 'room.state', state);
    },

    /** Enter the room (idempotent). The host's role is always `host`. */
    join: (appid: string, roomId: string, uid: string, role = 'member') => enter(appid, roomId, uid, role),

    /**
     * I am still here. Moves the member's deadline; a member the sweep removed (a network
     * hiccup longer than the timeout) is let back in while the room is open.
     */
    async heartbeat(appid: string, roomId: string, uid: string): Promise<{ joined: boolean; memsize: number; role: string; deadline: number }> {
      const r = await beats.add(appid, { roomId, uid });
      if (r.memsize < 0) return enter(appid, roomId, uid, 'member'); // not in (timed out, never joined) or no room: the full rules
      return { joined: false, memsize: r.memsize, role: r.role, deadline: r.deadline };
    },

    async leave(appid: string, roomId: string, uid: string): Promise<{ left: boolean; memsize: number }> {
      const r = await store.leave(appid, roomId, uid);
      throwOnScriptCode(ROOMS_CODES.sbRoomLeave, r.code, { ROOM_NOT_FOUND: `no room ${roomId}` });
      emitter.leaveRoomOf(appid, uid, roomId, r.sockets);
      if (r.code === 1)
        await announceMember(appid, { roomId, uid, action: 'left', role: r.role, memsize: r.memsize, kind: r.kind, host: r.host, label: r.label });
      if (r.code === 1) await memberGone(appid, { roomId, uid, kind: r.kind }, 'left');
      return { left: r.code === 1, memsize: r.memsize };
    },

    /** The host (or the app) ends the room: through its feature when it has one. */
    async end(appid: string, roomId: string, uid: string | null): Promise<RoomViewT> {
      const room = await get(appid, roomId);
      if (uid !== null && room.host !== uid) throw new AppError('FORBIDDEN', 'only the host ends the room');
      const ender = enders.get(room.kind);
      if (ender) await ender(appid, roomId, 'closed-by-host');
      else await close(appid, roomId);
      return get(appid, roomId);
    },

    async members(appid: string, roomId: string, offset: number, limit: number): Promise<{ total: number; members: MemberViewT[] }> {
      await get(appid, roomId);
      return store.members(appid, roomId, offset, limit);
    },

    memsizes: (appid: string, roomIds: string[]) => store.memsizes(appid, roomIds),

    /**
     * Rooms of every kind not closed yet, newest first, each with its feature's state name
     * (`label`: a course's created/live …) and its first `members` members (dashboards).
     */
    async listAlive(appid: string, q: { limit: number; members: number }) {
      const { total, rooms } = await store.listAlive(appid, q.limit);
      const withMembers = await Promise.all(
        rooms.map(async (r) => ({
          ...toView(r.roomId, r.fields, r.memsize),
          label: r.fields.label ?? r.fields.state ?? 'open',
          members: q.members > 0 && r.memsize > 0 ? (await store.members(appid, r.roomId, 0, q.members)).members : [],
        })),
      );
      return { total, rooms: withMembers };
    },

    /** A chat message from a member: numbered (per room), stored, sent to the room. */
    async send(appid: string, roomId: string, uid: string, msg: { text?: string; data?: unknown }): Promise<RoomMessageT> {
      if (msg.text === undefined && msg.data === undefined) throw new AppError('VALIDATION_FAILED', 'invalid message: text or data is required');
      const ts = Date.now();
      const body = { from: uid, ts, ...(msg.text !== undefined ? { text: msg.text } : {}), ...(msg.data !== undefined ? { data: msg.data } : {}) };
      const seq = await store.appendMessage(appid, roomId, uid, JSON.stringify(body), config.ROOM_MESSAGE_HISTORY);
      throwOnScriptCode(ROOMS_CODES.sbRoomMessage, seq, {
        ROOM_NOT_FOUND: `no room ${roomId}`,
        ROOM_CLOSED: `room ${roomId} is closed`,
        NOT_IN_ROOM: `join room ${roomId} before sending to it`,
      });
      const message = { roomId, seq, ...body };
      emitter.toRoom(appid, roomId, 'room.message', message);
      return message;
    },

    /** Messages with after < seq ≤ to (playback: after = begin_imseq, to = end_imseq), oldest first. */
    async messages(
      appid: string,
      roomId: string,
      q: { after: number; to?: number; limit: number },
    ): Promise<{ messages: RoomMessageT[]; next?: number }> {
      await get(appid, roomId);
      // One more than asked tells whether there is a next page.
      const raw = await store.messages(appid, roomId, q.after, q.to ?? '+inf', q.limit + 1);
      const messages = raw.slice(0, q.limit).map((entry) => {
        const colon = entry.indexOf(':');
        return { roomId, seq: Number(entry.slice(0, colon)), ...(JSON.parse(entry.slice(colon + 1)) as Omit<RoomMessageT, 'roomId' | 'seq'>) };
      });
      const last = messages[messages.length - 1];
      return raw.length > q.limit && last ? { messages, next: last.seq } : { messages };
    },

    /** The rooms the user is in, for session.snapshot (`found`: the probe saw the user's room set). */
    probe: store.probe,
    async snapshot(appid: string, uid: string, found = true) {
      if (!found) return [];
      const ids = await store.userRoomIds(appid, uid);
      const rooms = await Promise.all(
        ids.map(async (roomId) => {
          const [r, role] = await Promise.all([store.get(appid, roomId), store.roleOf(appid, roomId, uid)]);
          if (!r || role === null) return null;
          const v = toView(roomId, r.fields, r.memsize);
          return { roomId, kind: v.kind, host: v.host, state: v.state, role, memsize: v.memsize, imseq: v.imseq };
        }),
      );
      return rooms.filter((r) => r !== null);
    },

    /**
     * rooms/sweep: removes every member past their deadline, in every app with members,
     * announces it, and starts the grace period of timed-out hosts. Returns how many went;
     * with no app in the index, that nothing is due before a member who enters now times out.
     */
    async sweep(now = Date.now()): Promise<SweepResult> {
      let total = 0;
      const apps = await store.activeApps();
      if (apps.length === 0) return idleSweep(config.ROOM_MEMBER_TIMEOUT_MS, config.ROOM_SWEEP_INTERVAL_MS);
      for (const appid of apps) {
        // One script per batch of deadlines; the last one also says which hosts' timeouts to
        // enqueue again and whether the app is idle (one round trip a sweep, not three).
        let swept: Awaited<ReturnType<typeof store.sweep>>;
        for (;;) {
          swept = await store.sweep(appid, now, SWEEP_BATCH, now - HOST_GONE_REENQUEUE_AFTER_MS);
          const { examined, removed } = swept;
          for (const m of removed) {
            await announceMember(appid, {
              roomId: m.roomId,
              uid: m.uid,
              action: 'timed-out',
              role: m.role,
              memsize: m.memsize,
              kind: m.kind,
              host: m.host,
              label: m.label,
            });
            emitter.leaveRoom(appid, m.uid, m.roomId);
            await memberGone(appid, m, 'timed-out');
            if (m.isHost) {
              const job: HostTimeoutJobT = { appid, roomId: m.roomId, since: now };
              await core.queues.add('rooms', 'hostTimeout', job, { delay: config.ROOM_HOST_GRACE_MS, jobId: hostTimeoutJobId(appid, m.roomId, now) });
            }
          }
          total += removed.length;
          if (examined < SWEEP_BATCH) break;
        }
        // A worker that died between the sweep script and the enqueue above left its host
        // timeouts only in the hostgone set: enqueue them again (same jobId → no duplicate).
        for (const g of swept.hostGone) {
          const job: HostTimeoutJobT = { appid, roomId: g.roomId, since: g.since };
          await core.queues.add('rooms', 'hostTimeout', job, {
            delay: Math.max(0, g.since + config.ROOM_HOST_GRACE_MS - now),
            jobId: hostTimeoutJobId(appid, g.roomId, g.since),
          });
        }
        if (!swept.busy) await store.retireIfIdle(appid);
      }
      return { count: total };
    },

    /** rooms/hostTimeout: ends the room unless the host came back meanwhile. */
    async hostTimeout(job: HostTimeoutJobT): Promise<{ ended: boolean }> {
      const kind = await store.claimHostTimeout(job.appid, job.roomId, job.since);
      if (kind === null) return { ended: false };
      const ender = enders.get(kind);
      if (ender) await ender(job.appid, job.roomId, 'host-timeout');
      else await close(job.appid, job.roomId);
      return { ended: true };
    },
  };
}
