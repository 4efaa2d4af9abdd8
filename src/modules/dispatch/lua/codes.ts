// Result codes of the dispatch scripts that are errors → AppError code, by script (each code as
// its script's header says). Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const DISPATCH_CODES = {
  sbDispatchAccept: { [-1]: 'REQUEST_NOT_FOUND', [-2]: 'ALREADY_TAKEN', [-3]: 'REQUEST_CLOSED', [-4]: 'NOT_OFFERED' },
  sbDispatchClose: { [-1]: 'REQUEST_NOT_FOUND', [-5]: 'NOT_A_PARTY' },
  sbConvBegin: {
    [-1]: 'REQUEST_NOT_FOUND',
    [-3]: 'REQUEST_CLOSED',
    [-5]: 'NOT_A_PARTY',
    [-6]: 'CONVERSATION_NOT_ACCEPTED',
    [-7]: 'WRONG_AGENT',
    [-8]: 'CONVERSATION_ENDED',
  },
  sbConvEnd: { [-1]: 'REQUEST_NOT_FOUND', [-3]: 'REQUEST_CLOSED', [-5]: 'NOT_A_PARTY', [-6]: 'CONVERSATION_NOT_ACCEPTED' },
} as const satisfies Record<string, ScriptCodes>;
