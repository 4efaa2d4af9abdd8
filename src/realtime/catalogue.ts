// The typed event catalogue: every socket event, client→server (request + ack data) and
// server→client, with its TypeBox schema, composed from the gateway's own contract
// (session-contract.ts) and the `contract` of each module in the list (src/modules/index.ts).
// Shared by the gateway, the AsyncAPI document (asyncapi.ts), metrics, tests and the
// reference docs. The event *types* need no list: each contract.ts adds its events to the
// interfaces of infra/contract.ts (declaration merging), which the client package reads.
import type { Static } from 'typebox';
import type {
  ClientEventDefs,
  ClientEventName,
  ClientRequest,
  ClientResponse,
  Contract,
  ServerEventDefs,
  ServerEventName,
  ServerPayload,
  AckResult,
} from '../infra/contract.js';
import type { DomainEventName } from '../infra/events.js';
import { dashboardContract } from '../modules/dashboard/contract.js';
import { MODULES } from '../modules/index.js';
import { sessionContract } from './session-contract.js';

export type { ClientEventName, ClientRequest, ClientResponse, ServerEventName, ServerPayload, AckResult };
export { Ack, ErrorBodySchema, EventErrorSchema, SnapshotSchema } from './session-contract.js';

/** The main namespace's contracts, in the order the events are listed (docs, AsyncAPI): the session's, then the modules' in list order. */
const contracts: Contract[] = [sessionContract, ...MODULES.flatMap((m) => (m.contract ? [m.contract] : []))];

/** One map of the contracts' events of one direction; a name declared twice is a start-up error. */
function compose<K extends keyof Contract>(list: readonly Contract[], direction: K): Record<string, Contract[K][string]> {
  const out: Record<string, Contract[K][string]> = {};
  for (const contract of list)
    for (const [name, def] of Object.entries(contract[direction]) as Array<[string, Contract[K][string]]>) {
      if (Object.hasOwn(out, name)) throw new Error(`socket event ${name} (${direction}) is declared by two contracts`);
      out[name] = def;
    }
  return out;
}

// Typed from the contracts' declarations (a mapped type: usable as a plain record of schemas).
export const clientEvents = compose(contracts, 'client') as unknown as { [E in ClientEventName]: ClientEventDefs[E] };
export const serverEvents = compose(contracts, 'server') as unknown as { [E in ServerEventName]: ServerEventDefs[E] };
/** The /dashboard namespace (modules/dashboard/namespace.ts): apart, its names overlap the main ones with other payloads. */
export const dashboardClientEvents = dashboardContract.client;
export const dashboardServerEvents = dashboardContract.server;

export type DashboardServerEventName = keyof typeof dashboardServerEvents;
export type DashboardServerPayload<E extends DashboardServerEventName> = Static<(typeof dashboardServerEvents)[E]>;
export type DashboardClientEventName = keyof typeof dashboardClientEvents;

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
