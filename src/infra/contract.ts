// The shape of a socket contract: the events one feature answers (client→server, a request
// schema and the ack's data schema) and the events it sends (server→client, a payload
// schema). Each feature declares its own in src/modules/<feature>/contract.ts and gives it
// as `contract` in its module.ts; the catalogue (catalogue.ts) composes the values from the
// module list.
//
// The types come by declaration merging, like the services' (infra/module.ts): each
// contract.ts adds its events to ClientEventDefs and ServerEventDefs below. So the event
// types need no list, and the client package (src/client) reads them from this file and
// the contract files alone, without the server's modules.
import type { Static, TSchema } from 'typebox';

export interface ClientEventDef {
  request: TSchema;
  response: TSchema;
}

export interface Contract {
  client: Record<string, ClientEventDef>;
  server: Record<string, TSchema>;
}

/** Identity, for the literal types: `defineContract({ client: {...}, server: {...} })`. */
export const defineContract = <const C extends Contract>(contract: C): C => contract;

/**
 * Every client→server event of the main namespace by name. Each contract.ts adds its own:
 * `declare module '../../infra/contract.js' { interface ClientEventDefs extends ClientOf<typeof roomsContract> {} }`.
 * A name declared twice with other schemas does not compile; twice at all fails at start-up (catalogue.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClientEventDefs {}
/** Every server→client event of the main namespace by name: its payload schema (added as ClientEventDefs). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ServerEventDefs {}

/** A contract's client events, to extend ClientEventDefs with. */
export type ClientOf<C extends Contract> = C['client'];
/** A contract's server events, to extend ServerEventDefs with. */
export type ServerOf<C extends Contract> = C['server'];

export type ClientEventName = keyof ClientEventDefs & string;
export type ClientRequest<E extends ClientEventName> = ClientEventDefs[E] extends ClientEventDef ? Static<ClientEventDefs[E]['request']> : never;
export type ClientResponse<E extends ClientEventName> = ClientEventDefs[E] extends ClientEventDef ? Static<ClientEventDefs[E]['response']> : never;
export type ServerEventName = keyof ServerEventDefs & string;
export type ServerPayload<E extends ServerEventName> = ServerEventDefs[E] extends TSchema ? Static<ServerEventDefs[E]> : never;
export type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
