// Result codes of the accounts scripts that are errors → AppError code, by script (each code as
// its script's header says). Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const ACCOUNTS_CODES = {
  sbRevokeSession: { [-1]: 'TOKEN_REVOKED' },
} as const satisfies Record<string, ScriptCodes>;
