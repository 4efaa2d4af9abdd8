// Result codes of the customerservice scripts that are errors → AppError code, by script (each code as
// its script's header says). Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const CUSTOMERSERVICE_CODES = {
  csSeatAdd: { [-1]: 'SEAT_EXISTS', [-2]: 'SEAT_EXISTS' },
} as const satisfies Record<string, ScriptCodes>;
