// The states a call leg reports and the job id that applies one (its own file: the provider
// implementations use it and index.ts imports them, so it cannot live in index.ts).
import type { CallLeg } from './index.js';

export const CALL_STATES = ['ringing', 'answered', 'failed', 'hungup'] as const;
export type CallState = (typeof CALL_STATES)[number];

/** Deterministic id of the job applying one reported state of one leg: a repeated report is one job. */
export const callStateJobId = (leg: Pick<CallLeg, 'appid' | 'confId' | 'callid'>, state: CallState) =>
  `conf-callstate.${leg.appid}.${leg.confId}.${leg.callid}.${state}`;
