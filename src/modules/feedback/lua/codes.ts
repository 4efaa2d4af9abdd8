// Result codes of the feedback scripts that are errors → AppError code, by script (each code as
// its script's header says). Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const FEEDBACK_CODES = {
  sbFeedbackGive: {
    [-1]: 'REQUEST_NOT_FOUND',
    [-3]: 'REQUEST_CLOSED',
    [-5]: 'NOT_A_PARTY',
    [-6]: 'CONVERSATION_NOT_ACCEPTED',
    [-9]: 'FEEDBACK_GIVEN',
  },
} as const satisfies Record<string, ScriptCodes>;
