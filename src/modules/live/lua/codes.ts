// Result codes of the live scripts that are errors → AppError code, by script (each code as
// its script's header says). Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const LIVE_CODES = {
  liveStop: { [-1]: 'VIDEO_NOT_FOUND' },
} as const satisfies Record<string, ScriptCodes>;
