// Result codes of the webhooks scripts that are errors → AppError code, by script (each code as
// its script's header says). Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const WEBHOOKS_CODES = {
  sbWhReplay: { [-1]: 'DELIVERY_NOT_FOUND' },
} as const satisfies Record<string, ScriptCodes>;
