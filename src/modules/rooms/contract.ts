// The rooms socket contract: membership, heartbeats, chat.
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import {
  EnterResult,
  LeaveResult,
  MemberList,
  MembersRequest,
  MessageList,
  MessagesRequest,
  RoomMemberEvent,
  RoomMembersChangedEvent,
  RoomMessage,
  RoomRef,
  RoomStateEvent,
  SendMessageRequest,
} from './schemas.js';

export const roomsContract = defineContract({
  client: {
    /** Enter a room; the socket (and the user's other sockets) get its events. */
    'room.join': { request: RoomRef, response: EnterResult },
    'room.leave': { request: RoomRef, response: LeaveResult },
    /** Every few seconds while in a room (seed: 3 s); silent members are removed after ROOM_MEMBER_TIMEOUT_MS. */
    'room.heartbeat': { request: RoomRef, response: EnterResult },
    /** Chat to the room: numbered by a per-room sequence, stored for playback. */
    'room.message': { request: SendMessageRequest, response: RoomMessage },
    /** Stored messages with after < seq ≤ to (playback: begin_imseq, end_imseq). */
    'room.messages': { request: MessagesRequest, response: MessageList },
    'room.members': { request: MembersRequest, response: MemberList },
  },
  server: {
    /**
     * Someone joined, left or timed out: to the room while it has fewer than
     * ROOM_MEMBER_BATCH_ABOVE members; in larger rooms to the host only (every change).
     */
    'room.member': RoomMemberEvent,
    /** The membership changes of a large room, at most one batch per ROOM_MEMBER_BATCH_MS, to its members but the host. */
    'room.members.changed': RoomMembersChangedEvent,
    /** The room's state changed (course created/live/ended/playback, closed), or its member count (dashboards). */
    'room.state': RoomStateEvent,
    /** A chat message in the room. */
    'room.message': RoomMessage,
  },
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof roomsContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof roomsContract> {}
}
