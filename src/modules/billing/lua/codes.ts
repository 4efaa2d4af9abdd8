// Result codes of the billing scripts that are errors → AppError code, by script (each code as
// its script's header says). Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const BILLING_CODES = {
  sbBillLedger: { [-1]: 'INSUFFICIENT_BALANCE' },
  sbBillEnd: { [-1]: 'CALL_NOT_FOUND' },
  sbBillReport: { [-1]: 'CALL_NOT_FOUND', [-2]: 'CALL_ENDED' },
  sbBillConfirm: { [-1]: 'CALL_NOT_FOUND', [-2]: 'FORBIDDEN', [-3]: 'CALL_ACTIVE' },
} as const satisfies Record<string, ScriptCodes>;
