// Result codes of the presence scripts that are errors → AppError code, by script (each code as
// its script's header says). Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const PRESENCE_CODES = {
  sbPresenceSet: { [-1]: 'AGENT_NO_SKILLS' },
} as const satisfies Record<string, ScriptCodes>;
