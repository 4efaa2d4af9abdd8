import { Type, type Static } from 'typebox';
import { UserIdSchema } from '../accounts/schemas.js';
import { RequestIdSchema } from '../dispatch/schemas.js';

/** TIM custom message types of seed 000: TIM_CUSTOM_TYPE_CONVERSATION_ANSWER_CALL, TIM_CUSTOM_TYPE_CONVERSATION_START_CHARGE (others pass as well). */
export const SignalTypeSchema = Type.String({ pattern: '^TIM_CUSTOM_TYPE_[A-Z0-9_]{1,64}$', description: 'TIM custom message type (DESC)' });
/** The message's DATA: a query string such as agent_emp_id=4638&conversation_id=2074, optionally ending in &sign=… */
export const SignalDataSchema = Type.String({
  minLength: 1,
  maxLength: 2048,
  pattern: '^[^\\s]+$',
  description: 'query string k=v&k=v (may carry its own sign=)',
});
export const SignSchema = Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'hex HMAC-SHA256(key = sender qav_id, canonical data)' });

export const SignalBody = Type.Object(
  { type: SignalTypeSchema, data: SignalDataSchema, sign: Type.Optional(SignSchema) },
  { additionalProperties: false },
);
export const SignalRequest = Type.Object(
  { conversationId: RequestIdSchema, type: SignalTypeSchema, data: SignalDataSchema, sign: Type.Optional(SignSchema) },
  { additionalProperties: false },
);
export type SignalRequestT = Static<typeof SignalRequest>;

export const SignalResult = Type.Object({ conversationId: RequestIdSchema, to: UserIdSchema, delivered: Type.Literal(true) });

/** Relayed to the other party only once the sign was verified. */
export const SignalEvent = Type.Object({
  conversationId: RequestIdSchema,
  type: SignalTypeSchema,
  from: UserIdSchema,
  qavId: Type.String({ description: "the sender's qav_id (the salt of the sign)" }),
  data: Type.String({ description: 'the canonical data (without sign)' }),
  sign: SignSchema,
  params: Type.Record(Type.String(), Type.String()),
  verified: Type.Literal(true),
});

export const VerifyBody = Type.Object(
  {
    qavId: Type.String({ minLength: 1, maxLength: 64, description: "the sender's qav_id" }),
    data: SignalDataSchema,
    sign: Type.Optional(Type.String({ maxLength: 128, description: 'if absent, the sign= parameter of data' })),
  },
  { additionalProperties: false },
);
export const VerifyResult = Type.Object({ valid: Type.Boolean(), canonical: Type.String(), params: Type.Record(Type.String(), Type.String()) });

export const SignBody = Type.Object({ data: SignalDataSchema }, { additionalProperties: false });
export const SignResult = Type.Object({
  qavId: Type.String(),
  data: Type.String({ description: 'canonical data' }),
  sign: SignSchema,
  signed: Type.String({ description: 'data&sign=…, ready to send as the TIM DATA' }),
});

export const QavCredentials = Type.Object({ qav_id: Type.String(), qav_sig: Type.String(), sdkAppId: Type.Integer(), expire: Type.Integer() });
