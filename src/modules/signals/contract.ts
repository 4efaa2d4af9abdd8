// The signals socket contract: signed TIM custom messages between the parties of a conversation.
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import { SignalEvent, SignalRequest, SignalResult } from './schemas.js';

export const signalsContract = defineContract({
  client: {
    /** A signed TIM custom message, relayed to the other party once its sign verifies. */
    'conversation.signal': { request: SignalRequest, response: SignalResult },
  },
  server: {
    /** A verified signed peer message from the other party. */
    'conversation.signal': SignalEvent,
  },
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof signalsContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof signalsContract> {}
}
