// Web IM (seed 004 §3.2.2): a platform user logs in (token from /v1/third-party/login,
// thirdPartyLogin.do or /v1/auth/login with the platform user id and password) and opens
// a socket with it; then sets a status (any string) that reaches the users subscribed to
// it, and sends text messages to platform user ids. A message reaches every socket of the
// recipient on any node; a recipient without a socket gets it on their next connect, and
// an APNs push when they have an iPhone device id (seed §3.1.3; modules/push).
//
// Contacts: a user subscribes to another's presence (im.subscribe; within the app, no
// approval step: presence carries only the status string the user chose to publish).
import { randomUUID } from 'node:crypto';
import type { Core } from '../../infra/core.js';
import { AppError } from '../../infra/errors.js';
import type { AccountsService } from '../accounts/service.js';
import type { PushService } from '../push/service.js';
import type { ImMessageT, ImPresenceT } from './schemas.js';
import { createWebImStore } from './store.js';

export type WebImService = ReturnType<typeof createWebImService>;

export function createWebImService(core: Core, deps: { accounts: AccountsService; push: PushService }) {
  const { accounts, push } = deps;
  const store = createWebImStore(core.redis, core.keys);
  const { emitter, config } = core;

  async function presenceOf(appid: string, uid: string): Promise<ImPresenceT> {
    const [s, sockets] = await Promise.all([store.getStatus(appid, uid), emitter.userSocketCount(appid, uid)]);
    return { from: uid, online: sockets > 0, status: sockets > 0 ? (s?.status ?? null) : null, at: s?.at ?? Date.now() };
  }

  async function announce(appid: string, uid: string, presence: ImPresenceT): Promise<number> {
    const subs = await store.subscribers(appid, uid);
    for (const s of subs) emitter.toUser(appid, s, 'im.presence', presence);
    return subs.length;
  }

  return {
    /** Sets the user's status and tells their subscribers (im.presence). */
    async setStatus(appid: string, uid: string, status: string): Promise<{ status: string; subscribers: number }> {
      const at = Date.now();
      await store.setStatus(appid, uid, status, at);
      return { status, subscribers: await announce(appid, uid, { from: uid, online: true, status, at }) };
    },

    /** A text message to a platform user of the same app: every socket of theirs, or kept. */
    async send(appid: string, from: string, to: string, body: string): Promise<{ id: string; at: number; delivered: boolean; queued: boolean }> {
      await accounts.getUser(appid, to); // USER_NOT_FOUND: only platform user ids are addressable
      const message: ImMessageT = { id: randomUUID(), from, to, body, at: Date.now() };
      // Counting sockets asks every node; a socket that connects right after the count finds
      // the message kept and gets it at its next connect (at-most-once, like all socket pushes).
      if ((await emitter.userSocketCount(appid, to)) > 0) {
        emitter.toUser(appid, to, 'im.message', message);
        return { id: message.id, at: message.at, delivered: true, queued: false };
      }
      await store.keep(appid, to, JSON.stringify({ ...message, offline: true }), config.WEBIM_OFFLINE_MAX, config.WEBIM_OFFLINE_TTL_SECONDS);
      // The count above said no socket: the push skips counting them again.
      await push.toOffline(appid, [to], { kind: 'im', id: message.id, from, body, at: message.at }, { knownOffline: true });
      return { id: message.id, at: message.at, delivered: false, queued: true };
    },

    /** The messages kept for the user, oldest first, removed as they are taken. */
    offlineProbe: store.probe,
    async takeOffline(appid: string, uid: string): Promise<ImMessageT[]> {
      return (await store.drain(appid, uid)).reverse().map((m) => JSON.parse(m) as ImMessageT);
    },

    async subscribe(appid: string, follower: string, target: string): Promise<{ uid: string; presence: ImPresenceT }> {
      await accounts.getUser(appid, target);
      await store.subscribe(appid, follower, target);
      return { uid: target, presence: await presenceOf(appid, target) };
    },
    /** The app's backend makes two users contacts: each receives the other's presence. */
    async connectContacts(appid: string, a: string, b: string): Promise<{ uids: [string, string] }> {
      if (a === b) throw new AppError('VALIDATION_FAILED', 'a user is not their own contact');
      await Promise.all([accounts.getUser(appid, a), accounts.getUser(appid, b)]);
      await Promise.all([store.subscribe(appid, a, b), store.subscribe(appid, b, a)]);
      return { uids: [a, b] };
    },
    async disconnectContacts(appid: string, a: string, b: string): Promise<{ removed: boolean }> {
      const [x, y] = await Promise.all([store.unsubscribe(appid, a, b), store.unsubscribe(appid, b, a)]);
      return { removed: x || y };
    },
    async unsubscribe(appid: string, follower: string, target: string): Promise<{ removed: boolean }> {
      return { removed: await store.unsubscribe(appid, follower, target) };
    },
    async subscriptions(appid: string, uid: string): Promise<{ following: string[]; subscribers: string[] }> {
      const [following, subscribers] = await Promise.all([store.following(appid, uid), store.subscribers(appid, uid)]);
      return { following: following.sort(), subscribers: subscribers.sort() };
    },
    presenceOf,

    /**
     * A socket closed. The user goes offline (status dropped, subscribers told, once) when
     * the Redis set of their sockets empties; if it still lists sockets that no node holds
     * (a node died), the adapter's count settles it.
     */
    async socketClosed(appid: string, uid: string, socketId: string): Promise<void> {
      const r = await store.socketClosed(appid, uid, socketId);
      let wentOffline = r === 1;
      // Sockets remain on record: ask the adapter (a round trip to every node) only when
      // someone would hear the answer, i.e. the user has subscribers.
      if (r < 0 && (await store.hasSubscribers(appid, uid)) && (await emitter.userSocketCount(appid, uid)) === 0)
        wentOffline = await store.forceOffline(appid, uid);
      if (!wentOffline) return;
      await store.clearStatus(appid, uid);
      await announce(appid, uid, { from: uid, online: false, status: null, at: Date.now() });
    },
  };
}
