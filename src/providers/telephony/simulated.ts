// The simulated carrier: no network, every outcome is a delayed `conferences/callState`
// job (BullMQ timers, never setTimeout), so a conference runs end to end on one machine
// and in tests. Which outcome a number gets is decided by two regular expressions
// (docs/configuration.md): fail → `failed` after answerMs; hang-up → `answered` after
// answerMs and `hungup` hangupMs later; anything else → `answered` after answerMs.
import type { Queues } from '../../infra/queues.js';
import { callStateJobId, type CallState } from './call-state.js';
import type { CallLeg, TelephonyProvider } from './index.js';

export interface SimulatedOptions {
  answerMs: number;
  failPattern: RegExp;
  hangupPattern: RegExp;
  hangupMs: number;
}

/** What the simulated carrier will do with `number`: each state and its delay after the dial. */
export function simulatedOutcome(number: string, o: SimulatedOptions): Array<{ state: CallState; delay: number }> {
  if (o.failPattern.test(number))
    return [
      { state: 'ringing', delay: 0 },
      { state: 'failed', delay: o.answerMs },
    ];
  if (o.hangupPattern.test(number))
    return [
      { state: 'ringing', delay: 0 },
      { state: 'answered', delay: o.answerMs },
      { state: 'hungup', delay: o.answerMs + o.hangupMs },
    ];
  return [
    { state: 'ringing', delay: 0 },
    { state: 'answered', delay: o.answerMs },
  ];
}

export function createSimulatedTelephony(o: SimulatedOptions, queues: Queues): TelephonyProvider {
  const report = (leg: CallLeg, state: CallState, delay: number) =>
    queues.add(
      'conferences',
      'callState',
      { appid: leg.appid, confId: leg.confId, callid: leg.callid, state, reason: 'simulated' },
      { delay, jobId: callStateJobId(leg, state) },
    );
  return {
    name: 'simulated',
    async execute(cmd) {
      switch (cmd.action) {
        case 'dial':
          for (const step of simulatedOutcome(cmd.number, o)) await report(cmd.leg, step.state, step.delay);
          return;
        case 'hangup':
          await report(cmd.leg, 'hungup', 0);
          return;
        default:
          return; // mute/unmute: the state is already ours; a simulated line has nothing to silence
      }
    },
  };
}
