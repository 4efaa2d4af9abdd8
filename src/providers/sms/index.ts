// SMS behind one interface, chosen by SMS_PROVIDER:
//   log       (default) the message is written to the log and counts as sent — a deployment
//             without an SMS contract still runs every flow
//   ronglian  Ronglian (cloopen) TemplateSMS (ronglian.ts), with RONGLIAN_ACCOUNT_SID,
//             RONGLIAN_AUTH_TOKEN, RONGLIAN_APP_ID and RONGLIAN_TEMPLATE_ID
// Sends run inside `sms/send` jobs (retries with backoff); a provider throws to be retried.
import type { Logger } from 'pino';
import type { Config } from '../../infra/config.js';
import { AppError } from '../../infra/errors.js';
import { createRonglianSms } from './ronglian.js';

export interface SmsMessage {
  /** One number, as validated by normalizeNumbers (mainland 1xxxxxxxxxx, or +<country><number>). */
  to: string;
  templateId: string;
  /** The template's parameters, in order. */
  datas: string[];
}

export interface SmsProvider {
  readonly name: 'log' | 'ronglian';
  /** Resolves with the provider's message id. */
  send(msg: SmsMessage): Promise<{ messageId: string }>;
}

type SmsConfig = Pick<
  Config,
  | 'SMS_PROVIDER'
  | 'RONGLIAN_BASE_URL'
  | 'RONGLIAN_API_VERSION'
  | 'RONGLIAN_ACCOUNT_SID'
  | 'RONGLIAN_AUTH_TOKEN'
  | 'RONGLIAN_APP_ID'
  | 'SMS_TIMEOUT_MS'
>;

export function createSmsProvider(config: SmsConfig, log: Logger): SmsProvider {
  if (config.SMS_PROVIDER === 'ronglian') {
    const { RONGLIAN_ACCOUNT_SID: accountSid, RONGLIAN_AUTH_TOKEN: authToken, RONGLIAN_APP_ID: appId } = config;
    if (!accountSid || !authToken || !appId) {
      return {
        name: 'ronglian',
        send: async () => {
          throw new AppError('SMS_NOT_CONFIGURED', 'SMS_PROVIDER=ronglian needs RONGLIAN_ACCOUNT_SID, RONGLIAN_AUTH_TOKEN and RONGLIAN_APP_ID');
        },
      };
    }
    return createRonglianSms({
      baseUrl: config.RONGLIAN_BASE_URL,
      version: config.RONGLIAN_API_VERSION,
      accountSid,
      authToken,
      appId,
      timeoutMs: config.SMS_TIMEOUT_MS,
    });
  }
  let n = 0;
  return {
    name: 'log',
    async send(msg) {
      const messageId = `log-${Date.now()}-${++n}`;
      log.info({ sms: { to: msg.to, templateId: msg.templateId, datas: msg.datas }, messageId }, 'SMS (log provider: not sent to any carrier)');
      return { messageId };
    },
  };
}

// ── phone numbers ─────────────────────────────────────────────────────────────
/** Mainland China mobile (optionally +86 / 0086 / 86 in front) or an international E.164 number. */
const MAINLAND = /^(?:\+86|0086|86)?(1[3-9][0-9]{9})$/;
const INTERNATIONAL = /^(?:\+|00)([1-9][0-9]{7,14})$/;

/** One SMS number in the form sent to the carrier (mainland: 11 digits; abroad: +digits), or null. */
export function normalizeSmsNumber(raw: string): string | null {
  const s = raw.replace(/[\s-]/g, '');
  const m = MAINLAND.exec(s);
  if (m) return m[1]!;
  const i = INTERNATIONAL.exec(s);
  if (i && !i[1]!.startsWith('86')) return `+${i[1]}`;
  return null;
}

/** Splits the seed's `mps` ("a,b,c"), normalises each number, drops duplicates; names the bad ones. */
export function parseNumberList(mps: string | string[]): { numbers: string[]; invalid: string[] } {
  const parts = (Array.isArray(mps) ? mps : mps.split(/[,，]/)).map((p) => p.trim()).filter((p) => p !== '');
  const numbers: string[] = [];
  const invalid: string[] = [];
  for (const p of parts) {
    const n = normalizeSmsNumber(p);
    if (n === null) invalid.push(p);
    else if (!numbers.includes(n)) numbers.push(n);
  }
  return { numbers, invalid };
}
