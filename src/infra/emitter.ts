// How any node (api or worker) reaches sockets: through a Socket.IO Server wired to the
// Redis adapter. Only the rooms named here are ever emitted to (DESIGN: rooms of the
// socket layer), so an app's events cannot reach another app's sockets.
import type { Server, Socket } from 'socket.io';
import type { DashboardWatch } from './dashboard-watch.js';

// Typed emits without infra knowing the features: these maps are empty here and filled by
// declaration merging in src/realtime/catalogue.ts (type-only: no import from infra to
// the features at run time or in this file). An event name missing from them, or a payload
// of the wrong shape, does not compile.
/** Events of the main namespace `/`, by name: their payload types. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ServerEvents {}
/** Events of the `/dashboard` namespace, by name: their payload types (as sent, `appid` included). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DashboardEvents {}

declare const appEventBrand: unique symbol;
/**
 * An event name an app's backend chose (modules/notify: POST /v1/notify, the notify queue),
 * validated by its schema there; its payload is the app's own opaque data. Made with appEvent().
 */
export type AppEvent = string & { readonly [appEventBrand]: true };
export const appEvent = (name: string): AppEvent => name as AppEvent;

/** What the emitter's toUser/toRoom accept: a catalogue event with its payload, or an app's own event. */
export type UserEventName = keyof ServerEvents | AppEvent;
export type UserEventPayload<E extends UserEventName> = E extends keyof ServerEvents ? ServerEvents[E] : unknown;
/** The payload of a /dashboard event as the emitter takes it: toDashboard adds `appid`. */
export type DashboardPayload<E extends keyof DashboardEvents> = WithoutAppid<DashboardEvents[E]>;
/** Omit<T, 'appid'> that keeps an index signature (a business event's free-form data). */
type WithoutAppid<T> = { [K in keyof T as K extends 'appid' ? never : K]: T[K] };

export const socketRooms = {
  user: (appid: string, uid: string) => `user:${appid}:${uid}`,
  room: (appid: string, roomId: string) => `room:${appid}:${roomId}`,
  dashboard: (appid: string) => `dash:${appid}`,
};

export interface Emitter {
  toUser<E extends UserEventName>(appid: string, uid: string, event: E, data: UserEventPayload<E>): void;
  /** To the room's sockets (but those of `exceptUser`, when given). */
  toRoom<E extends UserEventName>(appid: string, roomId: string, event: E, data: UserEventPayload<E>, opts?: { exceptUser?: string }): void;
  /**
   * To the dashboards watching the app; an object payload gains `appid` (an admin dashboard
   * watches several apps). Skipped (false) while no dashboard on any node watches the app.
   */
  toDashboard<E extends keyof DashboardEvents>(appid: string, event: E, data: DashboardPayload<E>): boolean;
  /**
   * Disconnects the user's sockets on every node (all of them, or only those opened
   * with the token whose hash is given), telling them why first.
   */
  disconnectUser(appid: string, uid: string, reason: { code: string; message: string }, tokenHash?: string): Promise<number>;
  /** How many sockets the user has open, on every node (a round trip through the adapter). */
  userSocketCount(appid: string, uid: string): Promise<number>;
  /**
   * Puts the user's sockets into the room's socket room, through the adapter only when
   * needed: `registered` is how many sockets the user has in the gateway's registry (any
   * node, infra/sessions.ts, read atomically with the membership change); when this node
   * holds that many registered ones, it holds them all and joins them locally.
   */
  joinRoomOf(appid: string, uid: string, roomId: string, registered: number): void;
  /** Takes every socket of the user, on any node, out of the room's socket room. */
  leaveRoom(appid: string, uid: string, roomId: string): void;
  /** leaveRoom, locally when this node holds all `registered` sockets of the user (as joinRoomOf). */
  leaveRoomOf(appid: string, uid: string, roomId: string, registered: number): void;
  /** Empties the room's socket room on every node (the room was closed). */
  clearRoom(appid: string, roomId: string): void;
}

/**
 * Sends a last event to a socket of this node, then closes it. With connection state
 * recovery on, a plain socket.emit goes through the adapter (streams: only after its XADD
 * returns) and would reach the client after the close, i.e. never; a local-only emit to
 * the socket's own room is written at once.
 */
export function tellAndClose<E extends keyof ServerEvents>(socket: Socket, event: E, data: ServerEvents[E]): void;
export function tellAndClose<E extends keyof DashboardEvents>(socket: Socket, event: E, data: DashboardEvents[E]): void;
export function tellAndClose(socket: Socket, event: string, data: unknown): void {
  socket.nsp.local.to(socket.id).emit(event, data);
  socket.disconnect(true);
}

export function createEmitter(io: Server, dashboards: DashboardWatch): Emitter {
  /** This node holds `registered` (or more) registered sockets of the user room: all of them. */
  function holdsAll(userRoom: string, registered: number): boolean {
    const nsp = io.of('/');
    let here = 0;
    for (const id of nsp.adapter.rooms.get(userRoom) ?? [])
      if ((nsp.sockets.get(id)?.data as { registered?: boolean } | undefined)?.registered) here++;
    return here > 0 && registered <= here;
  }
  return {
    toUser: (appid, uid, event, data) => void io.to(socketRooms.user(appid, uid)).emit(event, data),
    toRoom: (appid, roomId, event, data, opts) =>
      void (
        opts?.exceptUser === undefined
          ? io.to(socketRooms.room(appid, roomId))
          : io.to(socketRooms.room(appid, roomId)).except(socketRooms.user(appid, opts.exceptUser))
      ).emit(event, data),
    toDashboard(appid, event, data) {
      if (!dashboards.watched(appid)) return false;
      io.of('/dashboard')
        .to(socketRooms.dashboard(appid))
        .emit(event, typeof data === 'object' && data !== null && !Array.isArray(data) ? { appid, ...data } : data);
      return true;
    },
    async userSocketCount(appid, uid) {
      return (await io.in(socketRooms.user(appid, uid)).fetchSockets()).length;
    },
    async disconnectUser(appid, uid, reason, tokenHash) {
      // fetchSockets asks every node through the adapter; revocation is rare, so the
      // round trip is worth not keeping one extra room per socket.
      const sockets = await io.in(socketRooms.user(appid, uid)).fetchSockets();
      let n = 0;
      for (const s of sockets) {
        if (tokenHash && (s.data as { tokenHash?: string }).tokenHash !== tokenHash) continue;
        const local = io.of('/').sockets.get(s.id);
        if (local) {
          tellAndClose(local, 'session.revoked', reason);
        } else {
          s.emit('session.revoked', reason);
          s.disconnect(true);
        }
        n++;
      }
      return n;
    },
    // socketsJoin/socketsLeave travel through the adapter, so a worker can move sockets it does not hold.
    joinRoomOf(appid, uid, roomId, registered) {
      const user = socketRooms.user(appid, uid);
      (holdsAll(user, registered) ? io.local : io).in(user).socketsJoin(socketRooms.room(appid, roomId));
    },
    leaveRoomOf(appid, uid, roomId, registered) {
      const user = socketRooms.user(appid, uid);
      (holdsAll(user, registered) ? io.local : io).in(user).socketsLeave(socketRooms.room(appid, roomId));
    },
    leaveRoom: (appid, uid, roomId) => io.in(socketRooms.user(appid, uid)).socketsLeave(socketRooms.room(appid, roomId)),
    clearRoom: (appid, roomId) => io.in(socketRooms.room(appid, roomId)).socketsLeave(socketRooms.room(appid, roomId)),
  };
}
