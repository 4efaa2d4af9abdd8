// The presence socket contract: agents online/offline, heartbeats (seed 000; customer-service seats).
import { Type } from 'typebox';
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import { AgentView, HeartbeatResult, PresenceSetBody, PresenceStateEvent } from './schemas.js';

export const presenceContract = defineContract({
  client: {
    /** An agent goes online (optionally with new skills/capacity) or offline. */
    'presence.set': { request: PresenceSetBody, response: AgentView },
    /** An online agent is still here (at least every PRESENCE_TIMEOUT_MS). */
    'presence.heartbeat': { request: Type.Object({}, { additionalProperties: false }), response: HeartbeatResult },
    'presence.get': { request: Type.Object({}, { additionalProperties: false }), response: AgentView },
  },
  server: {
    /** The server changed the agent's state (timeout, conversation ended …), to its own sockets. */
    'presence.state': PresenceStateEvent,
  },
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof presenceContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof presenceContract> {}
}
