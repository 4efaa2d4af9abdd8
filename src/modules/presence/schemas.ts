import { Type, type Static } from 'typebox';
import { AppIdSchema, UserIdSchema } from '../accounts/schemas.js';

/**
 * A skill: a token (`billing`, `vip`) or a directed language pair `CN>EN`. Generic: the
 * dispatch engine only matches strings. `,` and `|` never occur (the store relies on it).
 */
export const SkillSchema = Type.String({
  pattern: '^[A-Za-z0-9_.:-]{1,32}(>[A-Za-z0-9_.:-]{1,32})?$',
  description: 'a skill token, or a directed pair such as CN>EN',
});
/** What an agent declares: a skill, or `A<>B` for both directions of a pair (expanded to A>B and B>A). */
export const SkillInputSchema = Type.String({
  pattern: '^[A-Za-z0-9_.:-]{1,32}((>|<>)[A-Za-z0-9_.:-]{1,32})?$',
  description: 'a skill, CN>EN (one direction) or CN<>EN (both directions)',
});
export const CapacitySchema = Type.Integer({ minimum: 1, maximum: 100, description: 'conversations the agent takes at once (default 1)' });

/** offline; online (idle, free slots); offered (an offer pending); busy (no free slot: in conversation). */
export const AgentStateSchema = Type.Union([Type.Literal('offline'), Type.Literal('online'), Type.Literal('offered'), Type.Literal('busy')]);
export type AgentState = Static<typeof AgentStateSchema>;

export const AgentView = Type.Object({
  uid: UserIdSchema,
  state: AgentStateSchema,
  skills: Type.Array(SkillSchema),
  capacity: CapacitySchema,
  load: Type.Integer({ minimum: 0, description: 'conversations the agent is in' }),
  offers: Type.Integer({ minimum: 0, description: 'offers pending' }),
  rating: Type.Number({ description: 'average translate/service stars (with the DISPATCH_DEFAULT_RATING prior)' }),
  ratings: Type.Integer({ minimum: 0, description: 'how many ratings' }),
  deadline: Type.Optional(Type.Integer({ description: 'unix ms: offline after this without a heartbeat' })),
});
export type AgentViewT = Static<typeof AgentView>;

// ── bodies (REST and sockets) ─────────────────────────────────────────────────
export const PresenceSetBody = Type.Object(
  {
    state: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
    skills: Type.Optional(Type.Array(SkillInputSchema, { minItems: 1, maxItems: 64, description: 'replace the stored skills' })),
    capacity: Type.Optional(CapacitySchema),
  },
  { additionalProperties: false },
);
export type PresenceSetInput = Static<typeof PresenceSetBody>;

export const AgentConfigBody = Type.Object(
  { skills: Type.Array(SkillInputSchema, { minItems: 1, maxItems: 64 }), capacity: Type.Optional(CapacitySchema) },
  { additionalProperties: false },
);

export const HeartbeatResult = Type.Object({ state: AgentStateSchema, deadline: Type.Optional(Type.Integer({ description: 'unix ms' })) });

// ── events ────────────────────────────────────────────────────────────────────
/** To the agent's own sockets when the server changes its state (timeout, conversation end). */
export const PresenceStateEvent = Type.Object({ uid: UserIdSchema, state: AgentStateSchema, reason: Type.String() });

// ── jobs ──────────────────────────────────────────────────────────────────────
/** presence/sweep: one scheduler job per period; no payload. */
export const PresenceSweepJob = Type.Object({}, { additionalProperties: false });

export const AgentParams = Type.Object({ appid: AppIdSchema, uid: UserIdSchema });
