import { Type, type Static } from 'typebox';
import { AppIdSchema, UserIdSchema } from '../accounts/schemas.js';
import { SkillSchema } from '../presence/schemas.js';

/** Request ids are per-app integers written as strings; a request that an agent accepts is the conversation (same id). */
export const RequestIdSchema = Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'request id = conversation id (per app)' });

/**
 * waiting (offered round by round) → accepted (an agent took it) → active (begun) → ended;
 * or waiting → expired (nobody accepted within DISPATCH_MAX_WAIT_MS) / cancelled (by the caller).
 */
export const RequestStateSchema = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('accepted'),
  Type.Literal('active'),
  Type.Literal('ended'),
  Type.Literal('expired'),
  Type.Literal('cancelled'),
]);
export type RequestState = Static<typeof RequestStateSchema>;

export const RequestView = Type.Object({
  requestId: RequestIdSchema,
  caller: UserIdSchema,
  skill: SkillSchema,
  state: RequestStateSchema,
  round: Type.Integer({ minimum: 0, description: 'dispatch rounds run so far' }),
  createdAt: Type.Integer({ description: 'unix ms' }),
  expiresAt: Type.Integer({ description: 'unix ms: expires unless accepted by then' }),
  agent: Type.Optional(UserIdSchema),
  acceptedAt: Type.Optional(Type.Integer()),
  startedAt: Type.Optional(Type.Integer()),
  endedAt: Type.Optional(Type.Integer()),
  endReason: Type.Optional(Type.String()),
  data: Type.Optional(Type.Unknown({ description: "the caller's context, passed to the agents with the offer" })),
});
export type RequestViewT = Static<typeof RequestView>;

// ── bodies (REST and sockets) ─────────────────────────────────────────────────
export const CreateRequestBody = Type.Object(
  {
    skill: SkillSchema,
    data: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { description: 'free-form context for the agents (≤ 4 KB as JSON)' }),
    ),
  },
  { additionalProperties: false },
);
export const RequestRef = Type.Object({ requestId: RequestIdSchema }, { additionalProperties: false });
export const ConversationRef = Type.Object({ conversationId: RequestIdSchema }, { additionalProperties: false });
export const BeginBody = Type.Object(
  { conversationId: RequestIdSchema, agent: Type.Optional(UserIdSchema) }, // agent: the one the caller expects (seed agent_emp_id); refused if another one accepted
  { additionalProperties: false },
);
export const EndBody = Type.Object({ conversationId: RequestIdSchema }, { additionalProperties: false });

export const DeclineResult = Type.Object({
  requestId: RequestIdSchema,
  declined: Type.Boolean({ description: 'false: there was no pending offer' }),
});

// ── events ────────────────────────────────────────────────────────────────────
/** To an agent: a request it may accept (first accept wins). */
export const OfferEvent = Type.Object({
  requestId: RequestIdSchema,
  caller: UserIdSchema,
  skill: SkillSchema,
  round: Type.Integer({ minimum: 1 }),
  expiresAt: Type.Integer({ description: 'unix ms: the request expires then' }),
  data: Type.Optional(Type.Unknown()),
});
/** To the other offered agents when one accepted. */
export const TakenEvent = Type.Object({ requestId: RequestIdSchema, by: UserIdSchema });
/** To offered agents when the request expired or the caller cancelled it. */
export const WithdrawnEvent = Type.Object({ requestId: RequestIdSchema, reason: Type.Union([Type.Literal('expired'), Type.Literal('cancelled')]) });
/** To the caller: an agent accepted. */
export const AcceptedEvent = Type.Object({ requestId: RequestIdSchema, agent: UserIdSchema });
/** To the caller: no agent holds an offer for the request right now; `position` among the waiting requests of its skill (1 = next). */
export const QueuedEvent = Type.Object({
  requestId: RequestIdSchema,
  skill: SkillSchema,
  position: Type.Integer({ minimum: 1 }),
  round: Type.Integer(),
});
/** To the caller: nobody accepted within DISPATCH_MAX_WAIT_MS. */
export const ExpiredEvent = Type.Object({ requestId: RequestIdSchema, skill: SkillSchema });
/** To the caller and the agent. */
export const ConversationStartedEvent = Type.Object({
  conversationId: RequestIdSchema,
  caller: UserIdSchema,
  agent: UserIdSchema,
  startedAt: Type.Integer(),
});
export const ConversationEndedEvent = Type.Object({
  conversationId: RequestIdSchema,
  caller: UserIdSchema,
  agent: UserIdSchema,
  reason: Type.String({ description: 'ended-by-caller, ended-by-agent, ended-by-app, balance …' }),
  startedAt: Type.Optional(Type.Integer()),
  endedAt: Type.Integer(),
  durationMs: Type.Integer({ minimum: 0, description: 'from begin to end (0 if never begun)' }),
});

/** What a user sees of dispatch in `session.snapshot`. */
export const DispatchSnapshot = Type.Object({
  offers: Type.Array(OfferEvent, { description: 'offers pending for this user as an agent' }),
  requests: Type.Array(RequestView, { description: "this user's requests still waiting for an agent" }),
  calls: Type.Array(RequestView, { description: 'accepted or active conversations of this user (caller or agent)' }),
});

// ── jobs ──────────────────────────────────────────────────────────────────────
/** dispatch/round: offer the request to more agents (round 1 at creation; then every DISPATCH_ROUND_MS, added by the sweep). jobId dispatch-round.<appid>.<id>.<round> */
export const RoundJob = Type.Object(
  { appid: AppIdSchema, requestId: RequestIdSchema, round: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
/** dispatch/expire: the request's maximum wait is over (added by the sweep); dispatch/noShow: nobody began the accepted conversation. jobId dispatch-expire.<appid>.<id>, dispatch-noshow.<appid>.<id> */
export const ExpireJob = Type.Object({ appid: AppIdSchema, requestId: RequestIdSchema }, { additionalProperties: false });
/** dispatch/sweep: the scheduler job that adds the jobs of due timers (no payload). */
export const DispatchSweepJob = Type.Object({}, { additionalProperties: false });
export type RoundJobT = Static<typeof RoundJob>;
export type ExpireJobT = Static<typeof ExpireJob>;
