// Result codes of the pairing scripts that are errors → AppError code, by script (each code as
// its script's header says). Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const PAIRING_CODES = {
  sbPairAsk: { [-1]: 'PAIR_BUSY' },
  sbPairAnswer: {
    [-1]: 'PAIR_NOT_FOUND',
    [-2]: 'PAIR_TAKEN',
    [-3]: 'PAIR_CLOSED',
    [-4]: 'PAIR_NOT_OFFERED',
    [-5]: 'PAIR_STALE_ROUND',
    [-6]: 'PAIR_BUSY',
  },
  sbPairConfirm: { [-1]: 'PAIR_NOT_FOUND', [-3]: 'PAIR_CLOSED', [-7]: 'NOT_A_PARTY', [-8]: 'PAIR_NOT_ANSWERED', [-9]: 'PAIR_WRONG_PEER' },
  sbPairClose: { [-1]: 'PAIR_NOT_FOUND', [-7]: 'NOT_A_PARTY' },
} as const satisfies Record<string, ScriptCodes>;
