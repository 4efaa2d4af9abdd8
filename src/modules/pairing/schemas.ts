import { Type, type Static } from 'typebox';
import { AppIdSchema, UserIdSchema } from '../accounts/schemas.js';

/** Ask numbers are per-app integers written as strings (seed: `ask_no` string). */
export const AskNoSchema = Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'ask number (per app)' });
export const CallIdSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.:@-]+$',
  description: 'call id of the metered call that follows the match',
});

/**
 * matching (rounds running) → answered (a candidate passed; the asker confirms) → incall (metered);
 * answered → matching again on a dislike; any open state → ended (cancelled, no-match, balance, call-ended).
 * The seed's status: 0 matching|answered, 1 ended, 2 incall.
 */
export const AskStateSchema = Type.Union([Type.Literal('matching'), Type.Literal('answered'), Type.Literal('incall'), Type.Literal('ended')]);
export type AskState = Static<typeof AskStateSchema>;

/** Filters a candidate's profile must match (`profile.language`, `profile.gender`, `profile.tags`). */
export const PairFilters = Type.Object(
  {
    language: Type.Optional(
      Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z0-9_-]+$', description: 'profile.language must equal this' }),
    ),
    gender: Type.Optional(Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z0-9_-]+$', description: 'profile.gender must equal this' })),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 32, pattern: '^[^,]+$' }), {
        maxItems: 10,
        description: 'the candidate must have one of these profile.tags',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PairFiltersT = Static<typeof PairFilters>;

export const AskView = Type.Object({
  askNo: AskNoSchema,
  askUid: UserIdSchema,
  scene: Type.Integer({ minimum: 0, maximum: 1, description: '1 speed match, 0 1v1 with peerUid' }),
  state: AskStateSchema,
  status: Type.Integer({ minimum: 0, maximum: 2, description: "the seed's status: 0 matching, 1 ended, 2 in call" }),
  round: Type.Integer({ minimum: 0, description: 'rounds run so far' }),
  startAt: Type.Integer({ description: 'unix ms' }),
  peerUid: Type.Optional(UserIdSchema),
  callId: Type.Optional(CallIdSchema),
  endedAt: Type.Optional(Type.Integer()),
  endReason: Type.Optional(Type.String({ description: 'cancelled, no-match, balance, call-ended …' })),
  filters: Type.Optional(PairFilters),
});
export type AskViewT = Static<typeof AskView>;

// ── bodies (REST and sockets) ─────────────────────────────────────────────────
export const AskBody = Type.Object(
  {
    scene: Type.Integer({ minimum: 0, maximum: 1, default: 1, description: '1 speed match (default), 0 1v1 with peerUid' }),
    peerUid: Type.Optional(UserIdSchema),
    filters: Type.Optional(PairFilters),
  },
  { additionalProperties: false },
);
export type AskBodyT = Static<typeof AskBody>;
export const AskRef = Type.Object({ askNo: AskNoSchema }, { additionalProperties: false });
export const AnswerBody = Type.Object(
  { askNo: AskNoSchema, roundNo: Type.Integer({ minimum: 1 }), pass: Type.Boolean() },
  { additionalProperties: false },
);
export const ConfirmBody = Type.Object(
  {
    askNo: AskNoSchema,
    pass: Type.Boolean({ description: 'true like (call), false dislike (back to matching)' }),
    peerUid: UserIdSchema,
    callId: Type.Optional(CallIdSchema),
    roundNo: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type ConfirmBodyT = Static<typeof ConfirmBody>;
export const AvailabilityBody = Type.Object({ available: Type.Boolean() }, { additionalProperties: false });
export const AvailabilityView = Type.Object({ uid: UserIdSchema, available: Type.Boolean() });
export const HistoryQuery = Type.Object(
  {
    before: Type.Optional(Type.Integer({ minimum: 0, description: 'startAt (unix ms) to page before' })),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  },
  { additionalProperties: false },
);
export const HistoryPage = Type.Object({ items: Type.Array(AskView), next: Type.Optional(Type.Integer()) });
export const DeleteRecordBody = Type.Object(
  { askNo: AskNoSchema, startAt: Type.Integer({ minimum: 0, description: 'the startAt of the record (unix ms or s)' }) },
  { additionalProperties: false },
);
export const DeleteResult = Type.Object({ askNo: AskNoSchema, deleted: Type.Boolean() });
export const AnswerResult = Type.Object({ askNo: AskNoSchema, roundNo: Type.Integer(), pass: Type.Boolean(), won: Type.Boolean() });

// ── events ────────────────────────────────────────────────────────────────────
/** To a candidate: the seed's long-link message (RongCloud RC:CmdMsg, not stored). */
export const DispatchEvent = Type.Object({
  objectName: Type.Literal('RC:CmdMsg'),
  content: Type.Object({
    name: Type.Literal('dispatch'),
    data: Type.Object({
      ask_no: AskNoSchema,
      ask_uid: Type.Union([Type.Integer({ minimum: 0, description: 'a numeric user id, as the seed writes it' }), UserIdSchema]),
      round_no: Type.Integer({ minimum: 1 }),
    }),
    extra: Type.Object({ ask_no: AskNoSchema, round_no: Type.Integer(), scene: Type.Integer() }),
  }),
});
export type DispatchEventT = Static<typeof DispatchEvent>;
/** To the asker: a candidate passed (confirm with its uid). */
export const AnsweredEvent = Type.Object({ askNo: AskNoSchema, roundNo: Type.Integer(), peerUid: UserIdSchema });
/** To both: the asker liked the peer; the metered call begins. */
export const MatchedEvent = Type.Object({ askNo: AskNoSchema, askUid: UserIdSchema, peerUid: UserIdSchema, callId: CallIdSchema });
/** To the asker (and its peer, if any): the ask is over. */
export const EndedEvent = Type.Object({ askNo: AskNoSchema, reason: Type.String() });
/** To candidates holding an offer that is no longer open. */
export const WithdrawnEvent = Type.Object({
  askNo: AskNoSchema,
  reason: Type.Union([Type.Literal('taken'), Type.Literal('cancelled'), Type.Literal('ended')]),
});

// ── jobs ──────────────────────────────────────────────────────────────────────
/** matchmaking/round: run round `round` of an ask. jobId pair-round.<appid>.<askNo>.<round> */
export const PairRoundJob = Type.Object(
  { appid: AppIdSchema, askNo: AskNoSchema, round: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
/** matchmaking/timeout: round `round` got no pass in time. jobId pair-timeout.<appid>.<askNo>.<round> */
export const PairTimeoutJob = PairRoundJob;
export type PairRoundJobT = Static<typeof PairRoundJob>;
