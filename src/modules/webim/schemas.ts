import { Type, type Static } from 'typebox';
import { UserIdSchema } from '../accounts/schemas.js';

export const ImStatusSchema = Type.String({ maxLength: 1024, description: 'any string; the server does not interpret it (seed 3.2.2.2)' });
export const ImBodySchema = Type.String({ minLength: 1, maxLength: 8000, description: 'text message body' });

export const ImMessage = Type.Object({
  id: Type.String(),
  from: UserIdSchema,
  to: UserIdSchema,
  body: ImBodySchema,
  at: Type.Integer({ description: 'unix ms, when the server took it' }),
  offline: Type.Optional(Type.Boolean({ description: 'kept while the recipient had no socket, delivered on connect' })),
});
export type ImMessageT = Static<typeof ImMessage>;

export const ImPresence = Type.Object({
  from: UserIdSchema,
  online: Type.Boolean({ description: 'false: the user closed their last socket' }),
  status: Type.Union([ImStatusSchema, Type.Null()], { description: 'the last status the user set; null when none or offline' }),
  at: Type.Integer(),
});
export type ImPresenceT = Static<typeof ImPresence>;

export const ImConnected = Type.Object({
  uid: UserIdSchema,
  serverTime: Type.Integer(),
  offline: Type.Integer({ description: 'offline messages delivered now (as im.message with offline: true)' }),
});

export const SetStatusBody = Type.Object({ status: ImStatusSchema }, { additionalProperties: false });
export const SetStatusResult = Type.Object({ status: ImStatusSchema, subscribers: Type.Integer({ description: 'users told' }) });

export const SendBody = Type.Object({ to: UserIdSchema, body: ImBodySchema }, { additionalProperties: false });
export const SendResult = Type.Object({
  id: Type.String(),
  at: Type.Integer(),
  delivered: Type.Boolean({ description: 'the recipient had a socket open' }),
  queued: Type.Boolean({ description: 'kept for the next connect' }),
});

export const SubscribeBody = Type.Object({ uid: UserIdSchema }, { additionalProperties: false });
export const SubscribeResult = Type.Object({ uid: UserIdSchema, presence: ImPresence });
export const Subscriptions = Type.Object({
  following: Type.Array(UserIdSchema, { description: 'users whose presence I receive' }),
  subscribers: Type.Array(UserIdSchema, { description: 'users who receive mine' }),
});

export const ContactPairBody = Type.Object(
  { uids: Type.Array(UserIdSchema, { minItems: 2, maxItems: 2, description: "two users of the app who see each other's presence" }) },
  { additionalProperties: false },
);
