// The error codes of the presence module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const PRESENCE_ERRORS = defineErrors({
  AGENT_NO_SKILLS: { status: 409, message: 'the agent has no skills: set skills before going online' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    presence: typeof PRESENCE_ERRORS;
  }
}
