// The error codes of the dispatch module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const DISPATCH_ERRORS = defineErrors({
  REQUEST_NOT_FOUND: { status: 404, message: 'no such request or conversation' },
  ALREADY_TAKEN: { status: 409, message: 'another agent already accepted this request' },
  REQUEST_CLOSED: { status: 409, message: 'the request expired or was cancelled' },
  NOT_OFFERED: { status: 409, message: 'this request was not offered to you' },
  NOT_A_PARTY: { status: 403, message: 'you are not a party of this conversation' },
  WRONG_AGENT: { status: 409, message: 'another agent accepted this conversation' },
  CONVERSATION_NOT_ACCEPTED: { status: 409, message: 'no agent has accepted this request yet' },
  CONVERSATION_ENDED: { status: 409, message: 'the conversation has ended' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    dispatch: typeof DISPATCH_ERRORS;
  }
}
