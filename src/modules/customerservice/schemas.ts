import { Type, type Static } from 'typebox';
import { AppIdSchema, PasswordSchema, UserIdSchema } from '../accounts/schemas.js';
import { AgentStateSchema } from '../presence/schemas.js';
import { RequestIdSchema } from '../dispatch/schemas.js';

/** A nickname (robot or seat): shown to customers and typed by seats at login. No surrounding spaces, no control characters. */
export const NicknameSchema = Type.String({
  minLength: 1,
  maxLength: 32,
  pattern: '^[^\\s\\x00-\\x1f\\x7f](?:[^\\x00-\\x1f\\x7f]*[^\\s\\x00-\\x1f\\x7f])?$',
  description: 'nickname, 1–32 characters (Chinese welcome)',
});
/** One chat message's text. */
export const TextSchema = Type.String({
  minLength: 1,
  maxLength: 2000,
  pattern: '\\S',
  description: 'message text (1–2000 characters, not only spaces)',
});

export const SeatKindSchema = Type.Union([Type.Literal('created'), Type.Literal('linked')], {
  description: 'created: a seat account made for customer service; linked: an existing user set as a seat',
});

export const SeatView = Type.Object({
  uid: UserIdSchema,
  nickname: NicknameSchema,
  kind: SeatKindSchema,
  createdAt: Type.Integer({ description: 'unix ms' }),
  state: AgentStateSchema,
});
export type SeatViewT = Static<typeof SeatView>;

export const RobotView = Type.Object({
  appid: AppIdSchema,
  nickname: NicknameSchema,
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  seats: Type.Array(SeatView),
});
export type RobotViewT = Static<typeof RobotView>;

/** What the consultation page may know before it has a session. */
export const PublicRobotView = Type.Object({ appid: AppIdSchema, nickname: NicknameSchema, seatsOnline: Type.Integer({ minimum: 0 }) });

// ── bodies ────────────────────────────────────────────────────────────────────
export const AppParams = Type.Object({ appid: AppIdSchema });
export const SeatParams = Type.Object({ appid: AppIdSchema, uid: UserIdSchema });
export const RobotBody = Type.Object({ nickname: NicknameSchema }, { additionalProperties: false });
export const CreateSeatBody = Type.Object({ nickname: NicknameSchema, password: PasswordSchema }, { additionalProperties: false });
export const LinkSeatBody = Type.Object(
  { uid: UserIdSchema, nickname: Type.Optional(NicknameSchema) }, // nickname: what the seat logs in with and customers see (default: the user's name)
  { additionalProperties: false },
);
export const SeatLoginBody = Type.Object({ appid: AppIdSchema, nickname: NicknameSchema, password: PasswordSchema }, { additionalProperties: false });
export const GuestBody = Type.Object({ appid: AppIdSchema }, { additionalProperties: false });
export const RobotQuery = Type.Object({ appid: AppIdSchema });

export const SessionResult = Type.Object({
  token: Type.String({ description: 'socket token: io(url, {auth: {token}})' }),
  expiresAt: Type.Integer({ description: 'unix ms' }),
  uid: UserIdSchema,
  name: Type.String(),
  robot: Type.String({ description: "the robot's nickname" }),
});
export const SeatLoginResult = Type.Intersect([SessionResult, Type.Object({ seat: SeatView })]);

// ── messages and consultations ───────────────────────────────────────────────
export const MessageFromSchema = Type.Union([Type.Literal('customer'), Type.Literal('seat'), Type.Literal('system')]);
export const CsMessage = Type.Object({
  customer: UserIdSchema,
  seq: Type.Integer({ minimum: 1, description: 'per customer, increasing' }),
  from: MessageFromSchema,
  uid: Type.String({ description: 'the sender (empty for system notes)' }),
  name: Type.String({ description: "the sender's nickname" }),
  text: Type.String(),
  at: Type.Integer({ description: 'unix ms' }),
});
export type CsMessageT = Static<typeof CsMessage>;

/** waiting: offered to every online seat; talking: one seat took it over; closed: no open consultation. */
export const ConsultationStateSchema = Type.Union([Type.Literal('waiting'), Type.Literal('talking'), Type.Literal('closed')]);
export const ConsultationView = Type.Object({
  customer: UserIdSchema,
  customerName: Type.String(),
  state: ConsultationStateSchema,
  requestId: Type.Optional(RequestIdSchema),
  seat: Type.Optional(UserIdSchema),
  seatName: Type.Optional(Type.String()),
  messages: Type.Array(CsMessage),
});
export type ConsultationViewT = Static<typeof ConsultationView>;

// ── socket requests ───────────────────────────────────────────────────────────
export const SendBody = Type.Object({ text: TextSchema }, { additionalProperties: false });
export const ReplyBody = Type.Object({ customer: UserIdSchema, text: TextSchema }, { additionalProperties: false });
export const CustomerRef = Type.Object({ customer: UserIdSchema }, { additionalProperties: false });
export const OptionalCustomerRef = Type.Object({ customer: Type.Optional(UserIdSchema) }, { additionalProperties: false });
export const Empty = Type.Object({}, { additionalProperties: false });

export const SendResult = Type.Object({ state: ConsultationStateSchema, requestId: Type.Optional(RequestIdSchema), message: CsMessage });
export const ReplyResult = Type.Object({
  requestId: RequestIdSchema,
  tookOver: Type.Boolean({ description: 'true: this reply took the customer over' }),
  message: CsMessage,
});
export const EndResult = Type.Object({ ended: Type.Boolean({ description: 'false: there was no open consultation' }) });
export const SeatOnlineResult = Type.Object({
  seat: SeatView,
  robot: Type.String(),
  heartbeatMs: Type.Integer({ description: 'send presence.heartbeat this often' }),
  consultations: Type.Array(ConsultationView, { description: 'waiting consultations offered to this seat, and its own customers' }),
});

// ── server → client events ───────────────────────────────────────────────────
/** To all seats of the app: a seat took a customer over (first reply). */
export const TakenEvent = Type.Object({ customer: UserIdSchema, requestId: RequestIdSchema, seat: UserIdSchema, seatName: Type.String() });
/** To the customer: where the consultation stands. returned: the seat went offline, offered again to every online seat. */
export const StatusEvent = Type.Object({
  state: Type.Union([Type.Literal('waiting'), Type.Literal('talking'), Type.Literal('returned'), Type.Literal('closed')]),
  requestId: Type.Optional(RequestIdSchema),
  seatName: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});

/** customerservice/pruneGuests (scheduler): no payload. */
export const PruneGuestsJob = Type.Object({}, { additionalProperties: false });
