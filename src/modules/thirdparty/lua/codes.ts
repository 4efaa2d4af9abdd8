// Result codes of the thirdparty scripts that are errors → AppError code, by script (each code as
// its script's header says). Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const THIRDPARTY_CODES = {
  tpReserve: { [-1]: 'THIRDPARTY_ID_EXISTS', [-2]: 'USER_QUOTA_EXCEEDED' },
  tpRename: { [-1]: 'THIRDPARTY_ID_NOT_FOUND', [-2]: 'THIRDPARTY_ID_EXISTS' },
} as const satisfies Record<string, ScriptCodes>;
