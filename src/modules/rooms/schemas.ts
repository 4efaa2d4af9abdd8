import { Type, type Static } from 'typebox';
import { AppIdSchema, UserIdSchema } from '../accounts/schemas.js';

/** Room ids are server-allocated integers written as strings; `|` never occurs in them (store.ts relies on it). */
export const RoomIdSchema = Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'room id (the roomnum, as a string)' });
export const RoomKindSchema = Type.String({
  pattern: '^[a-z][a-z0-9_-]{0,31}$',
  description: 'the feature owning the room: classroom, conference, live …',
});
export const GroupIdSchema = Type.String({ minLength: 1, maxLength: 128, description: 'IM group id of the room' });
export const MemberRoleSchema = Type.String({ pattern: '^[a-z][a-z0-9_-]{0,31}$', description: 'role in the room: host, member …' });

/** Room lifecycle: open (members may enter), closing (host timed out, ending), closed. */
export const RoomStateSchema = Type.Union([Type.Literal('open'), Type.Literal('closing'), Type.Literal('closed')]);
export type RoomState = Static<typeof RoomStateSchema>;

export const RoomView = Type.Object({
  roomId: RoomIdSchema,
  kind: RoomKindSchema,
  host: UserIdSchema,
  state: RoomStateSchema,
  groupid: GroupIdSchema,
  memsize: Type.Integer({ minimum: 0, description: 'members in the room now' }),
  imseq: Type.Integer({ minimum: 0, description: 'sequence number of the last chat message' }),
  createdAt: Type.Integer({ description: 'unix ms' }),
  closedAt: Type.Optional(Type.Integer({ description: 'unix ms' })),
});
export type RoomViewT = Static<typeof RoomView>;

export const MemberView = Type.Object({ uid: UserIdSchema, role: MemberRoleSchema, joinedAt: Type.Integer({ description: 'unix ms' }) });
export type MemberViewT = Static<typeof MemberView>;

export const MemberList = Type.Object({ total: Type.Integer(), members: Type.Array(MemberView) });

export const ChatText = Type.String({ minLength: 1, maxLength: 4000 });

/** One stored chat message. */
export const RoomMessage = Type.Object({
  roomId: RoomIdSchema,
  seq: Type.Integer({ minimum: 1 }),
  from: UserIdSchema,
  text: Type.Optional(ChatText),
  data: Type.Optional(Type.Unknown()),
  ts: Type.Integer({ description: 'unix ms' }),
});
export type RoomMessageT = Static<typeof RoomMessage>;

export const MessageList = Type.Object({
  messages: Type.Array(RoomMessage),
  /** Pass as `after` to read on; absent when `to` was reached. */
  next: Type.Optional(Type.Integer()),
});

export const MemberAction = Type.Union([Type.Literal('joined'), Type.Literal('left'), Type.Literal('timed-out')]);
export type MemberActionT = Static<typeof MemberAction>;

// ── bodies and queries (REST and sockets) ─────────────────────────────────────
export const CreateRoomBody = Type.Object(
  { kind: Type.Optional(RoomKindSchema), groupid: Type.Optional(GroupIdSchema) },
  { additionalProperties: false },
);

export const RoomRef = Type.Object({ roomId: RoomIdSchema }, { additionalProperties: false });

export const SendMessageBody = Type.Object({ text: Type.Optional(ChatText), data: Type.Optional(Type.Unknown()) }, { additionalProperties: false });

export const MessagesQuery = Type.Object(
  {
    after: Type.Integer({ minimum: 0, default: 0, description: 'messages with seq > after (e.g. begin_imseq)' }),
    to: Type.Optional(Type.Integer({ minimum: 0, description: 'up to and including this seq (e.g. end_imseq)' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const MembersQuery = Type.Object(
  { offset: Type.Integer({ minimum: 0, default: 0 }), limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) },
  { additionalProperties: false },
);

export const GroupIdBody = Type.Object({ groupid: GroupIdSchema }, { additionalProperties: false });

// ── events ────────────────────────────────────────────────────────────────────
export const RoomMemberEvent = Type.Object({
  roomId: RoomIdSchema,
  uid: UserIdSchema,
  action: MemberAction,
  role: Type.Optional(MemberRoleSchema),
  memsize: Type.Integer({ minimum: 0 }),
});
export type RoomMemberEventT = Static<typeof RoomMemberEvent>;

/** The membership changes of one room during one batch window (rooms of ROOM_MEMBER_BATCH_ABOVE members and more), oldest first. */
export const RoomMembersChangedEvent = Type.Object({
  roomId: RoomIdSchema,
  changes: Type.Array(Type.Object({ uid: UserIdSchema, action: MemberAction, role: Type.Optional(MemberRoleSchema) })),
  /** The member count after the last change. */
  memsize: Type.Integer({ minimum: 0 }),
});
export type RoomMembersChangedEventT = Static<typeof RoomMembersChangedEvent>;

export const RoomStateEvent = Type.Object({
  roomId: RoomIdSchema,
  kind: RoomKindSchema,
  /** The owning feature's state name (classroom: created, live, ended, playback); generic rooms: open, closed. */
  state: Type.String(),
  host: UserIdSchema,
  memsize: Type.Integer({ minimum: 0 }),
  detail: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "the owning feature's view of the room (a course …)" })),
});
export type RoomStateEventT = Static<typeof RoomStateEvent>;

/** What a member sees of their rooms in `session.snapshot`. */
export const SnapshotRoom = Type.Object({
  roomId: RoomIdSchema,
  kind: RoomKindSchema,
  host: UserIdSchema,
  state: RoomStateSchema,
  role: MemberRoleSchema,
  memsize: Type.Integer(),
  imseq: Type.Integer(),
});

// ── jobs ──────────────────────────────────────────────────────────────────────
/** rooms/sweep: one scheduler job per period; no payload. */
export const SweepJob = Type.Object({}, { additionalProperties: false });

/** rooms/hostTimeout: the host of `roomId` timed out at `since` (unix ms); ends the room unless they came back. */
export const HostTimeoutJob = Type.Object(
  { appid: AppIdSchema, roomId: RoomIdSchema, since: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
export type HostTimeoutJobT = Static<typeof HostTimeoutJob>;

// ── socket requests and answers ───────────────────────────────────────────────
export const EnterResult = Type.Object({
  roomId: RoomIdSchema,
  joined: Type.Boolean({ description: 'false when already a member (the deadline was refreshed)' }),
  role: MemberRoleSchema,
  memsize: Type.Integer(),
  deadline: Type.Integer({ description: 'unix ms: heartbeat before this' }),
});
export const LeaveResult = Type.Object({ left: Type.Boolean(), memsize: Type.Integer() });
export const SendMessageRequest = Type.Object(
  { roomId: RoomIdSchema, text: Type.Optional(ChatText), data: Type.Optional(Type.Unknown()) },
  { additionalProperties: false },
);
export const MessagesRequest = Type.Object(
  {
    roomId: RoomIdSchema,
    after: Type.Integer({ minimum: 0, default: 0 }),
    to: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);
export const MembersRequest = Type.Object(
  { roomId: RoomIdSchema, offset: Type.Integer({ minimum: 0, default: 0 }), limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) },
  { additionalProperties: false },
);
