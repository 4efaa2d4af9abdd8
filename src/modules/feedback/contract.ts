// The feedback socket contract: stars after a conversation.
import { defineContract } from '../../realtime/contract.js';
import { FeedbackRequest, FeedbackResult } from './schemas.js';

export const feedbackContract = defineContract({
  client: {
    /** Stars for network and translation, once per side. */
    'conversation.feedback': { request: FeedbackRequest, response: FeedbackResult },
  },
  server: {},
});
