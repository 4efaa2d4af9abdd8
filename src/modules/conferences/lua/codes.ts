// Result codes of the conferences scripts that are errors → AppError code. Unlike other
// modules, every conferences script gives a code the same meaning (see the script headers),
// so one table serves them all. Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const CONFERENCES_CODES = {
  all: {
    [-1]: 'CONFERENCE_NOT_FOUND',
    [-2]: 'CONFERENCE_ENDED',
    [-3]: 'CONFERENCE_FULL',
    [-4]: 'CONFERENCE_NOT_STARTED',
    [-5]: 'CONFERENCE_PASSWORD',
    [-6]: 'PARTICIPANT_NOT_FOUND',
  },
} as const satisfies Record<string, ScriptCodes>;
