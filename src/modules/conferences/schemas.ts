import { Type, type Static } from 'typebox';
import { AppIdSchema, UserIdSchema } from '../accounts/schemas.js';
import { RoomIdSchema } from '../rooms/schemas.js';

/** A conference is a room of kind `conference`: its id is the room id. */
export const ConfIdSchema = RoomIdSchema;
export const CallIdSchema = Type.String({
  pattern: '^[1-9][0-9]{0,15}-[1-9][0-9]{0,9}$',
  description: 'one call leg, unique within the conference: <confId>-<n>',
});
/** Dialable number: digits with an optional leading + (landlines, extensions and mobiles alike). */
export const PhoneNumberSchema = Type.String({ pattern: '^\\+?[0-9]{3,20}$', description: 'phone number to dial: digits, optional leading +' });
export const ConfNameSchema = Type.String({ minLength: 1, maxLength: 128 });
export const ConfPasswordSchema = Type.String({ maxLength: 64, description: 'empty: anyone of the app may join' });
/** Start time: empty = now; unix seconds or ms (number or digits); `YYYY-MM-DD HH:mm[:ss]` (Beijing time); ISO 8601 with zone. */
export const StartTimeSchema = Type.Union([Type.String({ maxLength: 40 }), Type.Number({ minimum: 0 }), Type.Null()]);

/** Seed states: 0 not in, 1 in, 2 kicked by the host or left. */
export const SeedStateSchema = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)]);
export type SeedState = Static<typeof SeedStateSchema>;
/** The participant's current (or last) call leg. */
export const CallPhaseSchema = Type.Union([
  Type.Literal('none'),
  Type.Literal('dialling'),
  Type.Literal('ringing'),
  Type.Literal('connected'),
  Type.Literal('ended'),
  Type.Literal('failed'),
]);
export type CallPhase = Static<typeof CallPhaseSchema>;

export const ConfStateSchema = Type.Union([Type.Literal('scheduled'), Type.Literal('live'), Type.Literal('ended')]);
export type ConfState = Static<typeof ConfStateSchema>;

export const ParticipantInput = Type.Object(
  {
    id: Type.Optional(UserIdSchema),
    number: Type.Optional(PhoneNumberSchema),
    name: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false, description: 'id (a user of the app) or number, or both' },
);
export type ParticipantInputT = Static<typeof ParticipantInput>;

export const ParticipantView = Type.Object({
  /** The participant's key in the conference: the user id, else `tel:<number>`. */
  key: Type.String(),
  id: Type.Optional(UserIdSchema),
  number: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  state: SeedStateSchema,
  callid: Type.Optional(CallIdSchema),
  call: CallPhaseSchema,
  via: Type.Union([Type.Literal('phone'), Type.Literal('app'), Type.Literal('none')]),
  muted: Type.Boolean(),
  dialOnStart: Type.Optional(Type.Boolean({ description: 'invited before the start: dialled when it starts' })),
});
export type ParticipantViewT = Static<typeof ParticipantView>;

export const ConferenceView = Type.Object({
  confId: ConfIdSchema,
  vid: Type.String({ description: 'the conference at the carrier (seed vid)' }),
  appid: AppIdSchema,
  uid: UserIdSchema,
  name: Type.String(),
  state: ConfStateSchema,
  startAt: Type.Integer({ description: 'unix ms: the (scheduled) start' }),
  createdAt: Type.Integer({ description: 'unix ms' }),
  endedAt: Type.Optional(Type.Integer({ description: 'unix ms' })),
  endReason: Type.Optional(Type.String({ description: 'stopped, empty, host-timeout, closed-by-host' })),
  hasPassword: Type.Boolean(),
  pwd: Type.Optional(Type.String({ description: 'only to the creator and the app' })),
  inCount: Type.Integer({ minimum: 0, description: 'participants in (state 1)' }),
  participantCount: Type.Integer({ minimum: 0 }),
});
export type ConferenceViewT = Static<typeof ConferenceView>;

export const ConferenceList = Type.Object({ conferences: Type.Array(ConferenceView) });
export const ParticipantList = Type.Object({ confId: ConfIdSchema, state: ConfStateSchema, participants: Type.Array(ParticipantView) });

export const SubAccountView = Type.Object({
  id: Type.String({ description: 'sub-account id' }),
  token: Type.String({ description: 'sub-account token' }),
  voip: Type.String({ description: 'VoIP account number' }),
  voipPwd: Type.String({ description: 'VoIP password' }),
});
export type SubAccountViewT = Static<typeof SubAccountView>;

// ── REST bodies, socket requests ─────────────────────────────────────────────
export const CreateConferenceBody = Type.Object(
  {
    name: ConfNameSchema,
    time: Type.Optional(StartTimeSchema),
    pwd: Type.Optional(ConfPasswordSchema),
    uid: Type.Optional(UserIdSchema),
  },
  { additionalProperties: false, description: 'uid: the creator, with the app secret only (a user creates as themselves)' },
);
export const ConfRef = Type.Object({ confId: ConfIdSchema }, { additionalProperties: false });
export const AddParticipantsBody = Type.Object(
  {
    users: Type.Array(ParticipantInput, { minItems: 1, maxItems: 500 }),
    dial: Type.Boolean({ default: false, description: 'dial those with a number (invite); false: list only (join)' }),
  },
  { additionalProperties: false },
);
export const CallIdsBody = Type.Object({ callids: Type.Array(CallIdSchema, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false });
export const PasswordBody = Type.Object({ pwd: ConfPasswordSchema }, { additionalProperties: false });
export const JoinBody = Type.Object({ pwd: Type.Optional(ConfPasswordSchema) }, { additionalProperties: false });
export const SubAccountBody = Type.Object({ id: UserIdSchema }, { additionalProperties: false });
export const NoticeBody = Type.Object(
  {
    mps: Type.Union([Type.String({ maxLength: 4000 }), Type.Array(Type.String({ maxLength: 32 }), { maxItems: 200 })], {
      description: 'numbers: "a,b,c" (seed) or an array',
    }),
    datas: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 10, description: 'template parameters' })),
    templateId: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}$' })),
  },
  { additionalProperties: false },
);
export const NoticeResult = Type.Object({ noticeId: Type.String(), numbers: Type.Array(Type.String()) });
export const ListQuery = Type.Object({ uid: Type.Optional(UserIdSchema) }, { additionalProperties: false });

export const ConfAddRequest = Type.Object(
  { confId: ConfIdSchema, users: AddParticipantsBody.properties.users, dial: Type.Boolean({ default: false }) },
  { additionalProperties: false },
);
export const ConfCallIdsRequest = Type.Object({ confId: ConfIdSchema, callids: CallIdsBody.properties.callids }, { additionalProperties: false });
export const ConfJoinRequest = Type.Object({ confId: ConfIdSchema, pwd: Type.Optional(ConfPasswordSchema) }, { additionalProperties: false });
export const ConfPasswordRequest = Type.Object({ confId: ConfIdSchema, pwd: ConfPasswordSchema }, { additionalProperties: false });
export const JoinResult = Type.Object({ conference: ConferenceView, participant: ParticipantView });
export const ControlResult = Type.Object({ confId: ConfIdSchema, participants: Type.Array(ParticipantView) });

// ── events ────────────────────────────────────────────────────────────────────
export const MEMBER_ACTIONS = [
  'added',
  'dialling',
  'ringing',
  'answered',
  'failed',
  'joined',
  'left',
  'hungup',
  'kicked',
  'muted',
  'unmuted',
  'ended',
] as const;
export const MemberAction = Type.Enum(MEMBER_ACTIONS, { description: 'what happened to the participant' });
export type MemberActionT = (typeof MEMBER_ACTIONS)[number];

/** conference.member: one participant changed (to the conference's socket room and, as a business event, to dashboards and sinks). */
export const ConferenceMemberEvent = Type.Object({
  confId: ConfIdSchema,
  action: MemberAction,
  participant: ParticipantView,
  inCount: Type.Integer({ minimum: 0 }),
});
export type ConferenceMemberEventT = Static<typeof ConferenceMemberEvent>;

// ── jobs ──────────────────────────────────────────────────────────────────────
/** conferences/start: a scheduled conference starts (jobId conf-start.<appid>.<confId>). */
export const StartJob = Type.Object({ appid: AppIdSchema, confId: ConfIdSchema }, { additionalProperties: false });
/** conferences/emptyTimeout: the conference has been empty since `since` (jobId conf-empty.<appid>.<confId>.<since>). */
export const EmptyTimeoutJob = Type.Object(
  { appid: AppIdSchema, confId: ConfIdSchema, since: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
/** conferences/command: tell the telephony provider to dial / hang up / (un)mute one leg. */
export const CommandJob = Type.Object(
  {
    appid: AppIdSchema,
    confId: ConfIdSchema,
    callid: CallIdSchema,
    action: Type.Union([Type.Literal('dial'), Type.Literal('hangup'), Type.Literal('mute')]),
  },
  { additionalProperties: false, description: 'mute sends the leg’s current muted flag (mute or unmute), so reordered jobs still converge' },
);
/** conferences/callState: a provider reports a leg's state (simulated jobs, verified webhook callbacks). */
export const CallStateJob = Type.Object(
  {
    appid: AppIdSchema,
    confId: ConfIdSchema,
    callid: CallIdSchema,
    state: Type.Union([Type.Literal('ringing'), Type.Literal('answered'), Type.Literal('failed'), Type.Literal('hungup')]),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type CallStateJobT = Static<typeof CallStateJob>;
/** sms/send: one SMS (jobId sms.<appid>.<noticeId>.<number>). */
export const SmsSendJob = Type.Object(
  {
    appid: AppIdSchema,
    noticeId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    to: Type.String({ pattern: '^\\+?[0-9]{8,16}$' }),
    templateId: Type.String({ pattern: '^[0-9]{1,16}$' }),
    datas: Type.Array(Type.String({ maxLength: 256 }), { maxItems: 10 }),
  },
  { additionalProperties: false },
);
export type SmsSendJobT = Static<typeof SmsSendJob>;
/** The webhook provider's call-state callback body. */
export const CallStateCallback = CallStateJob;
