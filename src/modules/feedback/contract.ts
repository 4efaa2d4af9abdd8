// The feedback socket contract: stars after a conversation.
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import { FeedbackRequest, FeedbackResult } from './schemas.js';

export const feedbackContract = defineContract({
  client: {
    /** Stars for network and translation, once per side. */
    'conversation.feedback': { request: FeedbackRequest, response: FeedbackResult },
  },
  server: {},
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof feedbackContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof feedbackContract> {}
}
