// The shape of a socket contract: the events one feature answers (client→server, a request
// schema and the ack's data schema) and the events it sends (server→client, a payload
// schema). Each feature declares its own in src/modules/<feature>/contract.ts; the catalogue
// (catalogue.ts) composes them in one ordered list.
import type { TSchema } from 'typebox';

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
