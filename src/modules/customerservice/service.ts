// Customer service (seed 004 §4 客服应用): per app a robot (a nickname customers see) with
// seats behind it. Built on presence and dispatch, not beside them:
//   - a seat is a presence agent with the skill `cs` and capacity CS_SEAT_CAPACITY;
//   - a customer's consultation is a dispatch request of skill `cs` created with
//     offerAll, so each round offers it to EVERY idle seat (not the best N);
//   - the first seat to reply takes the customer over with dispatch's accept script (first
//     accept wins, atomically; the other seats' offers are released in the same step), and
//     the conversation begins at once — from then on it is one seat ↔ one customer;
//   - a seat going offline (logout, or its socket gone past PRESENCE_GRACE_MS: the presence
//     sweep) ends its conversations (reason seat-offline) and opens a new request for each
//     customer, offered again to every online seat, with the history kept.
// Business events (dispatch.taken, conversation.started/ended) are published by dispatch.
// A message whose recipient (the customer, or the seats it goes to) has no socket is also
// pushed to their iPhone when they have a device id (seed 004 §3.1.3; modules/push).
import { randomBytes } from 'node:crypto';
import type { Core } from '../../infra/core.js';
import { AppError, isAppError } from '../../infra/errors.js';
import { throwOnScriptCode } from '../../infra/lua.js';
import { CUSTOMERSERVICE_CODES } from './lua/codes.js';
import type { ServerEvents, UserEventPayload } from '../../infra/emitter.js';
import type { AccountsService } from '../accounts/service.js';
import type { DispatchService } from '../dispatch/service.js';
import type { RequestViewT } from '../dispatch/schemas.js';
import type { PresenceService } from '../presence/service.js';
import type { PushService } from '../push/service.js';
import { createCustomerServiceStore, type SeatRecord } from './store.js';
import type { ConsultationViewT, CsMessageT, RobotViewT, SeatViewT } from './schemas.js';

/** The skill of customer-service seats (skills are per app, so one token serves every app). */
export const CS_SKILL = 'cs';
/** Role of the anonymous customers of the consultation page. */
export const CUSTOMER_ROLE = 'customer';
/** Role of the seat accounts created here (linked users keep theirs). */
export const SEAT_ROLE = 'seat';

const open = (v: RequestViewT | null) => v !== null && (v.state === 'waiting' || v.state === 'accepted' || v.state === 'active');

export type CustomerServiceService = ReturnType<typeof createCustomerServiceService>;

export function createCustomerServiceService(
  core: Core,
  deps: { accounts: AccountsService; presence: PresenceService; dispatch: DispatchService; push: PushService },
) {
  const { accounts, presence, dispatch, push } = deps;
  const store = createCustomerServiceStore(core.redis, core.keys);
  const { config, emitter, log } = core;
  const ttl = () => config.CS_HISTORY_TTL_SECONDS;

  async function robotOf(appid: string) {
    const robot = await store.getRobot(appid);
    if (!robot) throw new AppError('CS_NOT_ENABLED', `app ${appid} has no customer-service robot: PUT /v1/apps/${appid}/customerservice/robot first`);
    return robot;
  }

  async function seatOf(appid: string, uid: string): Promise<SeatRecord> {
    const seat = await store.getSeat(appid, uid);
    if (!seat) throw new AppError('NOT_A_SEAT', `${uid} is not a customer-service seat of app ${appid}`);
    return seat;
  }

  async function seatView(appid: string, uid: string, seat: SeatRecord): Promise<SeatViewT> {
    return { uid, nickname: seat.nickname, kind: seat.kind, createdAt: seat.createdAt, state: (await presence.get(appid, uid)).state };
  }

  /** The request a customer record names, when it is still open. */
  async function openRequestOf(appid: string, requestId: string): Promise<RequestViewT | null> {
    if (!requestId) return null;
    const v = await dispatch.get(appid, requestId).catch((err: unknown) => {
      if (isAppError(err, 'REQUEST_NOT_FOUND')) return null;
      throw err;
    });
    return open(v) ? v : null;
  }

  /** The customer's current request, when it is still open. */
  async function currentRequest(appid: string, customer: string): Promise<RequestViewT | null> {
    return openRequestOf(appid, (await store.getCustomer(appid, customer)).requestId);
  }

  async function history(appid: string, customer: string): Promise<CsMessageT[]> {
    return (await store.history(appid, customer)).map((j) => JSON.parse(j) as CsMessageT);
  }

  async function append(appid: string, customer: string, m: Omit<CsMessageT, 'seq' | 'customer'>): Promise<CsMessageT> {
    return JSON.parse(await store.append(appid, customer, { customer, ...m }, config.CS_HISTORY_MAX, ttl())) as CsMessageT;
  }

  /** A customer's consultation; `name` and `requestId` are the customer record's (store.getCustomer). */
  async function consultation(appid: string, customer: string, { name, requestId }: { name: string; requestId: string }): Promise<ConsultationViewT> {
    const [v, messages] = await Promise.all([openRequestOf(appid, requestId), history(appid, customer)]);
    const seat = v?.agent && v.state !== 'waiting' ? v.agent : undefined;
    const seatName = seat ? ((await store.getSeat(appid, seat))?.nickname ?? seat) : undefined;
    return {
      customer,
      customerName: name || customer,
      state: !v ? 'closed' : v.state === 'waiting' ? 'waiting' : 'talking',
      ...(v ? { requestId: v.requestId } : {}),
      ...(seat ? { seat, seatName: seatName! } : {}),
      messages,
    };
  }

  /** Opens a consultation: a request offered to every online seat. `expected` = the request it replaces ('' none). */
  async function openRequest(appid: string, customer: string, expected: string, data: Record<string, unknown>): Promise<RequestViewT | null> {
    const v = await dispatch.create(appid, customer, { skill: CS_SKILL, data }, { offerAll: true, maxWaitMs: config.CS_MAX_WAIT_MS });
    if (await store.swapRequest(appid, customer, expected, v.requestId, ttl())) return v;
    // Another message of the same customer opened one at the same moment: keep that one.
    await dispatch.cancel(appid, v.requestId, customer).catch(() => undefined);
    return currentRequest(appid, customer);
  }

  /** Tells every seat of the app (offline ones have no sockets: the emit costs nothing there). */
  async function toSeats<E extends keyof ServerEvents>(appid: string, event: E, data: UserEventPayload<E>): Promise<void> {
    for (const [uid] of await store.listSeats(appid)) emitter.toUser(appid, uid, event, data);
  }

  /**
   * Delivers a message: to the customer's sockets, and to the seat holding it or to the seats
   * holding its offer. The other side (not the writer) is pushed to where it has no socket.
   */
  async function deliver(appid: string, v: RequestViewT | null, m: CsMessageT): Promise<void> {
    emitter.toUser(appid, m.customer, 'cs.message', m);
    const seats = !v ? [] : v.state === 'waiting' ? await dispatch.offeredTo(appid, v.requestId) : v.agent ? [v.agent] : [];
    for (const seat of seats) emitter.toUser(appid, seat, 'cs.message', m);
    await pushMessage(appid, m.from === 'customer' ? seats : [m.customer], m);
  }

  function pushMessage(appid: string, to: string[], m: CsMessageT): Promise<number> {
    return push.toOffline(appid, to, {
      kind: 'cs',
      id: `${m.customer}.${m.seq}`,
      from: m.uid,
      ...(m.name ? { title: m.name } : {}),
      body: m.text,
      at: m.at,
    });
  }

  return {
    // ── the app's backend ──────────────────────────────────────────────────────
    async getRobot(appid: string): Promise<RobotViewT> {
      const robot = await robotOf(appid);
      const seats = await Promise.all((await store.listSeats(appid)).map(([uid, s]) => seatView(appid, uid, s)));
      return { appid, ...robot, seats };
    },

    /** Creates the robot or renames it (步骤 3: 修改客服昵称, 创建客服). */
    async setRobot(appid: string, nickname: string): Promise<RobotViewT> {
      await accounts.getApp(appid);
      await store.setRobot(appid, nickname, Date.now());
      return this.getRobot(appid);
    },

    /** What the consultation page shows before a session: the robot's name and how many seats are online. */
    async publicRobot(appid: string): Promise<{ appid: string; nickname: string; seatsOnline: number }> {
      const robot = await robotOf(appid);
      const states = await Promise.all((await store.listSeats(appid)).map(async ([uid]) => (await presence.get(appid, uid)).state));
      return { appid, nickname: robot.nickname, seatsOnline: states.filter((s) => s !== 'offline').length };
    },

    /** 创建新席位: a new seat account (a user of the app, role `seat`) logging in with nickname + password. */
    async createSeat(appid: string, input: { nickname: string; password: string }): Promise<SeatViewT> {
      await robotOf(appid);
      const uid = `seat-${randomBytes(6).toString('hex')}`;
      const seat: SeatRecord = { nickname: input.nickname, kind: 'created', createdAt: Date.now() };
      const added = await store.addSeat(appid, uid, seat);
      throwOnScriptCode(CUSTOMERSERVICE_CODES.csSeatAdd, added, { SEAT_EXISTS: `a seat named ${input.nickname} exists in app ${appid}` });
      try {
        await accounts.createUserWithPassword(appid, { id: uid, role: SEAT_ROLE, name: input.nickname }, input.password);
        await presence.configure(appid, uid, { skills: [CS_SKILL], capacity: config.CS_SEAT_CAPACITY });
      } catch (err) {
        await store.removeSeat(appid, uid); // no half-made seat
        throw err;
      }
      return seatView(appid, uid, seat);
    },

    /** 关联已有席位: an existing user becomes a seat (keeps its password and other skills). */
    async linkSeat(appid: string, input: { uid: string; nickname?: string }): Promise<SeatViewT> {
      await robotOf(appid);
      const user = await accounts.getUser(appid, input.uid);
      const seat: SeatRecord = { nickname: input.nickname ?? (user.name || user.id), kind: 'linked', createdAt: Date.now() };
      const added = await store.addSeat(appid, input.uid, seat);
      // Both codes are SEAT_EXISTS: -2 is the user already a seat, -1 the nickname taken (csSeatAdd).
      throwOnScriptCode(CUSTOMERSERVICE_CODES.csSeatAdd, added, {
        SEAT_EXISTS:
          added === -2
            ? `${input.uid} is already a seat of app ${appid}`
            : `a seat named ${seat.nickname} exists in app ${appid}: pass another nickname`,
      });
      const agent = await presence.get(appid, input.uid);
      await presence.configure(appid, input.uid, {
        skills: [...new Set([...agent.skills, CS_SKILL])],
        capacity: agent.skills.length ? agent.capacity : config.CS_SEAT_CAPACITY,
      });
      return seatView(appid, input.uid, seat);
    },

    /** Removes a seat: it goes offline first (its customers return to the pool), created accounts are signed out. */
    async removeSeat(appid: string, uid: string): Promise<{ removed: boolean }> {
      const seat = await store.getSeat(appid, uid);
      if (!seat) throw new AppError('SEAT_NOT_FOUND', `${uid} is not a seat of app ${appid}`);
      const agent = await presence.get(appid, uid);
      if (agent.state !== 'offline') await presence.set(appid, uid, { state: 'offline' });
      await store.removeSeat(appid, uid);
      // No longer offered consultations (a linked user keeps its other skills).
      await presence.configure(appid, uid, { skills: agent.skills.filter((s) => s !== CS_SKILL) });
      if (seat.kind === 'created') await accounts.revokeAll(appid, uid, 'the seat was removed');
      return { removed: true };
    },

    // ── seats ──────────────────────────────────────────────────────────────────
    /** 坐席登录: nickname (or a linked seat's user id) + password → a session for the console's socket. */
    async seatLogin(input: { appid: string; nickname: string; password: string }) {
      const robot = await robotOf(input.appid);
      const uid =
        (await store.seatByNickname(input.appid, input.nickname)) ?? ((await store.getSeat(input.appid, input.nickname)) ? input.nickname : null);
      // The same answer for an unknown nickname and a wrong password: nicknames are not probed.
      if (!uid) throw new AppError('WRONG_PASSWORD', 'unknown seat nickname or wrong password');
      const session = await accounts.login(input.appid, uid, input.password).catch((err: unknown) => {
        if (isAppError(err, 'USER_NOT_FOUND')) throw new AppError('WRONG_PASSWORD', 'unknown seat nickname or wrong password');
        throw err;
      });
      const seat = await seatOf(input.appid, uid);
      return {
        token: session.token,
        expiresAt: session.expiresAt,
        uid,
        name: seat.nickname,
        robot: robot.nickname,
        seat: await seatView(input.appid, uid, seat),
      };
    },

    /** The console is open: the seat goes online and gets the waiting consultations offered to it and its own customers. */
    async seatOnline(appid: string, uid: string) {
      const robot = await robotOf(appid);
      const seat = await seatOf(appid, uid);
      await presence.set(appid, uid, { state: 'online' });
      // Waiting consultations already offered to the other seats reach this one now, not at their next round.
      await dispatch.widenNow(appid, CS_SKILL);
      const snap = await dispatch.snapshot(appid, uid);
      const mine = [
        ...snap.offers.filter((o) => o.skill === CS_SKILL).map((o) => o.caller),
        ...snap.calls.filter((c) => c.skill === CS_SKILL && c.agent === uid).map((c) => c.caller),
      ];
      const consultations = await Promise.all([...new Set(mine)].map(async (c) => consultation(appid, c, await store.getCustomer(appid, c))));
      return {
        seat: await seatView(appid, uid, seat),
        robot: robot.nickname,
        heartbeatMs: Math.max(1000, Math.floor(config.PRESENCE_TIMEOUT_MS / 3)),
        consultations,
      };
    },

    /** The seat leaves (logout): offline at once; its customers return to the pool (seatOffline). */
    async seatLeave(appid: string, uid: string): Promise<SeatViewT> {
      const seat = await seatOf(appid, uid);
      await presence.set(appid, uid, { state: 'offline' });
      return seatView(appid, uid, seat);
    },

    /**
     * A seat replies to a customer. On a waiting consultation this is the takeover: dispatch's
     * accept script lets exactly one seat win; the others are refused with CS_TAKEN naming
     * the winner, and every seat hears cs.taken.
     */
    async reply(appid: string, uid: string, customer: string, text: string) {
      const seat = await seatOf(appid, uid);
      let v = await currentRequest(appid, customer);
      if (!v) throw new AppError('CS_NO_CONSULTATION', `customer ${customer} has no open consultation`);
      let tookOver = false;
      const takenBy = async (winner: string) => {
        const name = (await store.getSeat(appid, winner))?.nickname ?? winner;
        return new AppError('CS_TAKEN', `客户 ${customer} 已被坐席「${name}」接管 (customer taken over by seat ${winner})`, {
          seat: winner,
          seatName: name,
        });
      };
      if (v.state === 'waiting') {
        try {
          v = await dispatch.accept(appid, v.requestId, uid);
        } catch (err) {
          if (isAppError(err, 'ALREADY_TAKEN')) {
            const now = await dispatch.get(appid, v.requestId);
            throw await takenBy(now.agent ?? '');
          }
          if (isAppError(err, 'NOT_OFFERED'))
            throw new AppError(
              'NOT_OFFERED',
              `customer ${customer}'s consultation is not offered to you (no free slot: capacity ${config.CS_SEAT_CAPACITY})`,
            );
          throw err;
        }
        if (v.agent === uid && v.state === 'accepted') {
          v = await dispatch.begin(appid, v.requestId, uid);
          tookOver = true;
          const taken = { customer, requestId: v.requestId, seat: uid, seatName: seat.nickname };
          await toSeats(appid, 'cs.taken', taken);
          emitter.toUser(appid, customer, 'cs.status', { state: 'talking', requestId: v.requestId, seatName: seat.nickname });
        }
      } else if (v.agent !== uid) {
        throw await takenBy(v.agent ?? '');
      } else if (v.state === 'accepted') {
        v = await dispatch.begin(appid, v.requestId, uid);
      }
      const m = await append(appid, customer, { from: 'seat', uid, name: seat.nickname, text, at: Date.now() });
      await deliver(appid, v, m);
      return { requestId: v.requestId, tookOver, message: m };
    },

    /** A seat ends the conversation with its customer. */
    async close(appid: string, uid: string, customer: string): Promise<{ ended: boolean }> {
      await seatOf(appid, uid);
      const v = await currentRequest(appid, customer);
      if (!v || v.state === 'waiting') return { ended: false };
      if (v.agent !== uid) throw new AppError('CS_TAKEN', `customer ${customer} is with another seat`);
      await dispatch.end(appid, v.requestId, uid, '');
      await store.swapRequest(appid, customer, v.requestId, '', ttl());
      emitter.toUser(appid, customer, 'cs.status', { state: 'closed', requestId: v.requestId, reason: 'ended-by-seat' });
      return { ended: true };
    },

    /** A consultation with its messages (a seat: any customer of the app; a customer: its own). */
    async consultationFor(appid: string, uid: string, customer?: string): Promise<ConsultationViewT> {
      if (customer !== undefined && customer !== uid) await seatOf(appid, uid);
      const who = customer ?? uid;
      return consultation(appid, who, await store.getCustomer(appid, who));
    },

    /**
     * presence → offline (logout, timeout, grace over): the seat's customers return to the
     * pool — each conversation ends (seat-offline) and a new request for the same customer
     * is offered to every online seat.
     */
    async seatOffline(appid: string, uid: string): Promise<void> {
      const seat = await store.getSeat(appid, uid);
      if (!seat) return;
      const { calls } = await dispatch.snapshot(appid, uid);
      for (const c of calls) {
        if (c.skill !== CS_SKILL || c.agent !== uid) continue;
        try {
          await dispatch.end(appid, c.requestId, null, 'seat-offline');
          const { name } = await store.getCustomer(appid, c.caller);
          const note = await append(appid, c.caller, {
            from: 'system',
            uid: '',
            name: '',
            text: `坐席「${seat.nickname}」已离线，正在为您转接其他客服`,
            at: Date.now(),
          });
          emitter.toUser(appid, c.caller, 'cs.message', note);
          await pushMessage(appid, [c.caller], note);
          const next = await openRequest(appid, c.caller, c.requestId, { customerName: name || c.caller, returned: true, previousSeat: uid });
          emitter.toUser(appid, c.caller, 'cs.status', {
            state: 'returned',
            ...(next ? { requestId: next.requestId } : {}),
            seatName: seat.nickname,
            reason: 'seat-offline',
          });
        } catch (err) {
          log.error({ err, appid, uid, requestId: c.requestId }, 'could not return a customer to the pool');
        }
      }
    },

    // ── customers ──────────────────────────────────────────────────────────────
    /** An anonymous customer of the consultation page gets a session (the route limits it per IP and app). */
    async guest(appid: string) {
      const robot = await robotOf(appid);
      const uid = `guest-${randomBytes(8).toString('hex')}`;
      const name = `访客${uid.slice(-4)}`;
      const s = await accounts.issueToken(appid, { uid, role: CUSTOMER_ROLE, name, ttlSeconds: config.CS_GUEST_TTL_SECONDS });
      await store.setCustomerName(appid, uid, name, ttl());
      await store.trackGuest(appid, uid, s.expiresAt);
      return { token: s.token, expiresAt: s.expiresAt, uid, name, robot: robot.nickname };
    },

    /**
     * Deletes the accounts of page guests whose session has ended (customerservice/pruneGuests,
     * a scheduler job): every visitor of the consultation page is a user, and without this they
     * would pile up for ever. Their consultation history keeps their name until it expires
     * (CS_HISTORY_TTL_SECONDS). Returns how many were deleted.
     */
    async pruneGuests(now = Date.now(), batch = 500): Promise<number> {
      const ended = await store.endedGuests(now, batch);
      for (const [appid, uid, member] of ended) {
        await accounts.deleteUser(appid, uid, 'the guest session ended');
        await store.untrackGuest(member);
      }
      return ended.length;
    },

    /** A customer writes: the first message opens a consultation offered to every online seat; later ones follow it. */
    async send(appid: string, customer: string, text: string) {
      await robotOf(appid);
      if (await store.getSeat(appid, customer)) throw new AppError('FORBIDDEN', 'seats reply with cs.reply');
      const customerRecord = await store.getCustomer(appid, customer);
      const { requestId } = customerRecord;
      let { name } = customerRecord;
      if (!name) {
        // A user of the app (not a page guest) consulting: named as in accounts.
        name = (await accounts.getUser(appid, customer)).name || customer;
        await store.setCustomerName(appid, customer, name, ttl());
      }
      const m = await append(appid, customer, { from: 'customer', uid: customer, name, text, at: Date.now() });
      let v = await openRequestOf(appid, requestId);
      if (!v) {
        // requestId (read above) is the CAS's expected value: a request another message opened since wins.
        v = await openRequest(appid, customer, requestId, { customerName: name, text: text.slice(0, 200) });
        if (v) emitter.toUser(appid, customer, 'cs.status', { state: 'waiting', requestId: v.requestId });
      }
      await deliver(appid, v, m);
      return {
        state: (!v ? 'closed' : v.state === 'waiting' ? 'waiting' : 'talking') as 'waiting' | 'talking' | 'closed',
        ...(v ? { requestId: v.requestId } : {}),
        message: m,
      };
    },

    /** The customer leaves: a waiting consultation is withdrawn from the seats, a conversation ends. */
    async end(appid: string, customer: string): Promise<{ ended: boolean }> {
      const v = await currentRequest(appid, customer);
      if (!v) return { ended: false };
      if (v.state === 'waiting') await dispatch.cancel(appid, v.requestId, customer);
      else await dispatch.end(appid, v.requestId, customer, '');
      await store.swapRequest(appid, customer, v.requestId, '', ttl());
      emitter.toUser(appid, customer, 'cs.status', { state: 'closed', requestId: v.requestId, reason: 'ended-by-customer' });
      return { ended: true };
    },

    /** session.snapshot part: a seat's role, or a customer's open consultation with its messages. */
    probe: store.probe,
    async snapshot(appid: string, uid: string, found = true): Promise<{ role: 'seat' | 'customer' | 'none'; consultation?: ConsultationViewT }> {
      if (!found) return { role: 'none' };
      if (await store.getSeat(appid, uid)) return { role: 'seat' };
      const c = await store.getCustomer(appid, uid);
      if (!c.name) return { role: 'none' };
      return { role: 'customer', consultation: await consultation(appid, uid, c) };
    },
  };
}
