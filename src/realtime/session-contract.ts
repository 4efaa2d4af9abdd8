// The gateway's own events (namespace `/`): the session every feature's events ride on.
import { Type, type TSchema } from 'typebox';
import { UserView } from '../modules/accounts/schemas.js';
import { defineContract, type ClientOf, type ServerOf } from '../infra/contract.js';

export const ErrorBodySchema = Type.Object({ code: Type.String(), message: Type.String() });

/** The ack of every client→server event. */
export const Ack = <T extends TSchema>(data: T) =>
  Type.Union([Type.Object({ ok: Type.Literal(true), data }), Type.Object({ ok: Type.Literal(false), error: ErrorBodySchema })]);

export const SnapshotSchema = Type.Object(
  {
    appid: Type.String(),
    user: UserView,
    serverTime: Type.Integer({ description: 'unix ms' }),
    recovered: Type.Boolean({ description: 'true when missed events were replayed (streams adapter)' }),
  },
  { additionalProperties: true, description: 'features add their pending state (offers, calls, rooms, balance) under their own keys' },
);

/** An error answered as an event: to a request sent without an ack callback, or before a flood disconnect. */
export const EventErrorSchema = Type.Object({ event: Type.String(), code: Type.String(), message: Type.String() });

export const sessionContract = defineContract({
  client: {
    /** Heartbeat-sized round trip: keeps a session warm and measures latency. */
    'session.ping': {
      request: Type.Object({ t: Type.Optional(Type.Number()) }, { additionalProperties: false }),
      response: Type.Object({ t: Type.Optional(Type.Number()), serverTime: Type.Integer() }),
    },
    /** Asks for a fresh snapshot (the same one sent on connect). */
    'session.snapshot': {
      request: Type.Object({}, { additionalProperties: false }),
      response: SnapshotSchema,
    },
  },
  server: {
    'session.snapshot': SnapshotSchema,
    /** Sent just before the server closes a socket whose token was revoked or expired. */
    'session.revoked': ErrorBodySchema,
    /** An error for an event sent without an ack callback, or before a flood disconnect. */
    'session.error': EventErrorSchema,
  },
});

declare module '../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof sessionContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof sessionContract> {}
}
