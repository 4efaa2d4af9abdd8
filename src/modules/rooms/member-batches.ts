// Membership changes of large rooms, batched. In a room of N, one `room.member` per change
// to every member makes filling the room cost O(N²) frames (a class of 1,000 is a million
// frames). From ROOM_MEMBER_BATCH_ABOVE members on, this process collects a room's changes
// for ROOM_MEMBER_BATCH_MS and sends them as one `room.members.changed` to the room (its
// host excepted), while the host gets every change as `room.member` at once: hosts,
// dashboards (room.state) and webhooks (business events) still see each change, in order.
//
// A plain timer, not a BullMQ job: this is frame coalescing on one node, not a business
// deadline. A process that dies loses at most one window of these frames; clients have
// `room.members` and the snapshot to catch up, as after any missed event.
import type { Emitter } from '../../infra/emitter.js';
import type { MemberActionT, RoomMembersChangedEventT } from './schemas.js';

type Change = RoomMembersChangedEventT['changes'][number];

interface Batch {
  appid: string;
  roomId: string;
  host: string;
  memsize: number;
  changes: Change[];
}

export function createMemberBatches(emitter: Emitter, opts: { above: number; windowMs: number }) {
  const pending = new Map<string, Batch>();
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const b of pending.values()) {
      const event: RoomMembersChangedEventT = { roomId: b.roomId, changes: b.changes, memsize: b.memsize };
      emitter.toRoom(b.appid, b.roomId, 'room.members.changed', event, { exceptUser: b.host });
    }
    pending.clear();
  }

  return {
    /**
     * Sends one membership change: to the room at once in a small room, else into the
     * room's batch (and to the host at once). A room with a batch pending keeps batching
     * until it is sent, whatever its size now, so no change overtakes an earlier one.
     */
    announce(appid: string, m: { roomId: string; uid: string; action: MemberActionT; role: string; memsize: number; host: string }): void {
      const event = { roomId: m.roomId, uid: m.uid, action: m.action, ...(m.role ? { role: m.role } : {}), memsize: m.memsize };
      const key = `${appid}\n${m.roomId}`;
      let batch = pending.get(key);
      if (!batch && m.memsize < opts.above) {
        emitter.toRoom(appid, m.roomId, 'room.member', event);
        return;
      }
      if (m.host) emitter.toUser(appid, m.host, 'room.member', event);
      if (!batch) {
        batch = { appid, roomId: m.roomId, host: m.host, memsize: m.memsize, changes: [] };
        pending.set(key, batch);
      }
      batch.changes.push({ uid: m.uid, action: m.action, ...(m.role ? { role: m.role } : {}) });
      batch.memsize = m.memsize;
      timer ??= setTimeout(flush, opts.windowMs);
    },
    /** Sends every pending batch now (shutdown). */
    flush,
  };
}
