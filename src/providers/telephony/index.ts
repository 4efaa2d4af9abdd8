// Telephony behind one interface, chosen by TELEPHONY_PROVIDER. The conference module asks a
// provider to dial, hang up, mute or unmute one call leg; the provider answers later with
// call-state changes (ringing, answered, failed, hungup), which always arrive as a
// `conferences/callState` job — from the simulated provider's own delayed jobs, or from a
// verified carrier callback (POST /v1/telephony/callbacks). So a state change is applied
// the same way whoever reports it, by a worker, idempotently (one Lua transition per leg).
//
//   simulated  (default) no carrier: a dialled number rings, then answers after
//              TELEPHONY_SIM_ANSWER_MS; numbers matching TELEPHONY_SIM_FAIL_PATTERN never
//              answer (failed), numbers matching TELEPHONY_SIM_HANGUP_PATTERN answer and hang
//              up TELEPHONY_SIM_HANGUP_MS later. Hanging up reports `hungup` at once.
//   webhook    commands are POSTed as signed JSON to TELEPHONY_WEBHOOK_URL (webhook.ts); the
//              carrier bridge reports call states back, signed with the same secret.
import { ConfigError, type Config } from '../../infra/config.js';
import { AppError } from '../../infra/errors.js';
import type { Queues } from '../../infra/queues.js';
import { createSimulatedTelephony } from './simulated.js';
import { createWebhookTelephony } from './webhook.js';

/** One call leg of a conference: `callid` is unique within the conference. */
export interface CallLeg {
  appid: string;
  confId: string;
  /** The conference's id at the carrier (seed `vid`). */
  vid: string;
  callid: string;
}

export type TelephonyCommand =
  { action: 'dial'; leg: CallLeg; number: string; name?: string } | { action: 'hangup'; leg: CallLeg } | { action: 'mute' | 'unmute'; leg: CallLeg };

/** Call states a provider reports for a leg. */
export { CALL_STATES, callStateJobId, type CallState } from './call-state.js';

export interface TelephonyProvider {
  readonly name: 'simulated' | 'webhook';
  /** Carries out one command; throws to be retried (the command runs in a job with retries). */
  execute(cmd: TelephonyCommand): Promise<void>;
}

type TelephonyConfig = Pick<
  Config,
  | 'TELEPHONY_PROVIDER'
  | 'TELEPHONY_SIM_ANSWER_MS'
  | 'TELEPHONY_SIM_FAIL_PATTERN'
  | 'TELEPHONY_SIM_HANGUP_PATTERN'
  | 'TELEPHONY_SIM_HANGUP_MS'
  | 'TELEPHONY_WEBHOOK_URL'
  | 'TELEPHONY_WEBHOOK_SECRET'
  | 'TELEPHONY_WEBHOOK_TIMEOUT_MS'
>;

export function createTelephonyProvider(config: TelephonyConfig, queues: Queues): TelephonyProvider {
  if (config.TELEPHONY_PROVIDER === 'webhook') {
    if (!config.TELEPHONY_WEBHOOK_URL || !config.TELEPHONY_WEBHOOK_SECRET) {
      return {
        name: 'webhook',
        execute: async () => {
          throw new AppError('TELEPHONY_NOT_CONFIGURED', 'TELEPHONY_PROVIDER=webhook needs TELEPHONY_WEBHOOK_URL and TELEPHONY_WEBHOOK_SECRET');
        },
      };
    }
    return createWebhookTelephony({
      url: config.TELEPHONY_WEBHOOK_URL,
      secret: config.TELEPHONY_WEBHOOK_SECRET,
      timeoutMs: config.TELEPHONY_WEBHOOK_TIMEOUT_MS,
    });
  }
  return createSimulatedTelephony(
    {
      answerMs: config.TELEPHONY_SIM_ANSWER_MS,
      failPattern: pattern('TELEPHONY_SIM_FAIL_PATTERN', config.TELEPHONY_SIM_FAIL_PATTERN),
      hangupPattern: pattern('TELEPHONY_SIM_HANGUP_PATTERN', config.TELEPHONY_SIM_HANGUP_PATTERN),
      hangupMs: config.TELEPHONY_SIM_HANGUP_MS,
    },
    queues,
  );
}

/** A configured regular expression, or a ConfigError naming the variable (the process stops at boot). */
function pattern(name: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    throw new ConfigError(`invalid configuration:\n  ${name}=${JSON.stringify(source)}: not a regular expression (${(err as Error).message})`);
  }
}
