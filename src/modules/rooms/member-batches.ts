// Membership changes of large rooms, throttled. In a room of N, one `room.member` per change
// to every member makes filling the room cost O(N²) frames (a class of 1,000 is a million
// frames). From ROOM_MEMBER_BATCH_ABOVE members on, this process sends a room's changes as
// `room.members.changed` to the room (its host excepted) at most once per
// ROOM_MEMBER_BATCH_MS: the first change of a quiet room goes out at once, the changes that
// follow within the window go out together at its end. The host gets every change as
// `room.member` at once: hosts, dashboards (room.state) and webhooks (business events)
// still see each change, in order.
//
// Why a throttle and not a fixed window: rooms fill side by side (a school's classes at 9
// o'clock), so one room sees a change every few tens of milliseconds, not many per 100 ms;
// a fixed short window then coalesces little and members still get a frame per join. With
// a throttle the window can be long (a roster a fraction of a second late is fine when the
// room is busy) and a quiet room pays no delay at all.
//
// A plain timer, not a BullMQ job: this is frame coalescing on one node, not a business
// deadline. A process that dies loses at most one window of these frames; clients have
// `room.members` and the snapshot to catch up, as after any missed event.
import type { Emitter } from '../../infra/emitter.js';
import type { MemberActionT, RoomMembersChangedEventT } from './schemas.js';

type Change = RoomMembersChangedEventT['changes'][number];

/** A room inside its throttle window: the changes held back since its last send. */
interface Throttled {
  appid: string;
  roomId: string;
  host: string;
  memsize: number;
  changes: Change[];
  timer: NodeJS.Timeout;
}

export function createMemberBatches(emitter: Emitter, opts: { above: number; windowMs: number }) {
  const throttled = new Map<string, Throttled>();

  function send(t: Throttled): void {
    const event: RoomMembersChangedEventT = { roomId: t.roomId, changes: t.changes, memsize: t.memsize };
    emitter.toRoom(t.appid, t.roomId, 'room.members.changed', event, { exceptUser: t.host });
    t.changes = [];
  }

  /** The end of a room's window: what was held back goes out and opens a new window; a quiet room leaves the throttle. */
  function windowEnd(key: string, t: Throttled): void {
    if (t.changes.length === 0) {
      throttled.delete(key);
      return;
    }
    send(t);
    t.timer = setTimeout(windowEnd, opts.windowMs, key, t);
  }

  return {
    /**
     * Sends one membership change: to the room at once in a small room, else through the
     * room's throttle (and to the host at once). A room inside its window keeps throttling
     * until the window ends, whatever its size now, so no change overtakes an earlier one.
     */
    announce(appid: string, m: { roomId: string; uid: string; action: MemberActionT; role: string; memsize: number; host: string }): void {
      const event = { roomId: m.roomId, uid: m.uid, action: m.action, ...(m.role ? { role: m.role } : {}), memsize: m.memsize };
      const key = `${appid}\n${m.roomId}`;
      const t = throttled.get(key);
      if (!t && m.memsize < opts.above) {
        emitter.toRoom(appid, m.roomId, 'room.member', event);
        return;
      }
      if (m.host) emitter.toUser(appid, m.host, 'room.member', event);
      const change: Change = { uid: m.uid, action: m.action, ...(m.role ? { role: m.role } : {}) };
      if (t) {
        t.changes.push(change);
        t.memsize = m.memsize;
        return;
      }
      const opened: Throttled = {
        appid,
        roomId: m.roomId,
        host: m.host,
        memsize: m.memsize,
        changes: [change],
        timer: undefined as unknown as NodeJS.Timeout,
      };
      send(opened);
      opened.timer = setTimeout(windowEnd, opts.windowMs, key, opened);
      throttled.set(key, opened);
    },
    /** Sends every held-back change now and ends every window (shutdown). */
    flush(): void {
      for (const t of throttled.values()) {
        clearTimeout(t.timer);
        if (t.changes.length) send(t);
      }
      throttled.clear();
    },
  };
}
