// The typed event catalogue: every socket event, client→server (request + ack data) and
// server→client, with its TypeBox schema, composed from the features' contracts
// (src/modules/<feature>/contract.ts). Shared by the gateway, the emitter's types, the
// AsyncAPI document (asyncapi.ts), metrics, tests and the client helper (src/client).
// A feature adds its events in its own contract.ts and its contract to the list below.
import type { Static } from 'typebox';
import type { DomainEventName } from '../infra/events.js';
import { billingContract } from '../modules/billing/contract.js';
import { classroomContract } from '../modules/classroom/contract.js';
import { conferencesContract } from '../modules/conferences/contract.js';
import { customerServiceContract } from '../modules/customerservice/contract.js';
import { dashboardContract } from '../modules/dashboard/contract.js';
import { dispatchContract } from '../modules/dispatch/contract.js';
import { feedbackContract } from '../modules/feedback/contract.js';
import { liveContract } from '../modules/live/contract.js';
import { messagingContract } from '../modules/messaging/contract.js';
import { pairingContract } from '../modules/pairing/contract.js';
import { presenceContract } from '../modules/presence/contract.js';
import { roomsContract } from '../modules/rooms/contract.js';
import { signalsContract } from '../modules/signals/contract.js';
import { webimContract } from '../modules/webim/contract.js';
import type { Contract } from './contract.js';
import { sessionContract } from './session-contract.js';

export { Ack, ErrorBodySchema, EventErrorSchema, SnapshotSchema } from './session-contract.js';

/** The main namespace's contracts, in the order the events are listed (docs, AsyncAPI). */
const contracts = [
  sessionContract,
  roomsContract,
  classroomContract,
  billingContract,
  presenceContract,
  dispatchContract,
  signalsContract,
  feedbackContract,
  messagingContract,
  pairingContract,
  conferencesContract,
  webimContract,
  liveContract,
  customerServiceContract,
] as const;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type Composed<L extends readonly Contract[], K extends keyof Contract> = {
  [E in keyof UnionToIntersection<L[number][K]>]: UnionToIntersection<L[number][K]>[E];
};

/** One map of the lists' events of one direction; a name declared twice is a start-up error. */
function compose<L extends readonly Contract[], K extends keyof Contract>(list: L, direction: K): Composed<L, K> {
  const out: Record<string, unknown> = {};
  for (const contract of list)
    for (const [name, def] of Object.entries(contract[direction])) {
      if (name in out) throw new Error(`socket event ${name} (${direction}) is declared by two contracts`);
      out[name] = def;
    }
  return out as Composed<L, K>;
}

export const clientEvents = compose(contracts, 'client');
export const serverEvents = compose(contracts, 'server');
/** The /dashboard namespace (modules/dashboard/namespace.ts): apart, its names overlap the main ones with other payloads. */
export const dashboardClientEvents = compose([dashboardContract] as const, 'client');
export const dashboardServerEvents = compose([dashboardContract] as const, 'server');

export type ClientEventName = keyof typeof clientEvents;
export type ClientRequest<E extends ClientEventName> = Static<(typeof clientEvents)[E]['request']>;
export type ClientResponse<E extends ClientEventName> = Static<(typeof clientEvents)[E]['response']>;
export type ServerEventName = keyof typeof serverEvents;
export type ServerPayload<E extends ServerEventName> = Static<(typeof serverEvents)[E]>;
export type DashboardServerEventName = keyof typeof dashboardServerEvents;
export type DashboardServerPayload<E extends DashboardServerEventName> = Static<(typeof dashboardServerEvents)[E]>;
export type DashboardClientEventName = keyof typeof dashboardClientEvents;
export type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** Payload types by event name, for the emitter (infra/emitter.ts declares these interfaces empty; see there why). */
export type ServerEventMap = { [E in ServerEventName]: ServerPayload<E> };
export type DashboardEventMap = {
  [E in DashboardServerEventName]: DashboardServerPayload<E> & (E extends DomainEventName ? Record<string, unknown> : unknown);
};

// Extending interfaces is how declaration merging takes a mapped type.
declare module '../infra/emitter.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEvents extends ServerEventMap {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface DashboardEvents extends DashboardEventMap {}
}
