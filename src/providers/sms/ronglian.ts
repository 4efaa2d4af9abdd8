// Ronglian (cloopen) TemplateSMS, as in ../shared/VENDORS.md:
//   POST {base}/{version}/Accounts/{AccountSid}/SMS/TemplateSMS?sig={sig}
//   sig           = upper(md5hex(AccountSid + AuthToken + ts)), ts = yyyyMMddHHmmss in Beijing time
//   Authorization = base64(AccountSid + ":" + ts)
//   body          = {appId, to, templateId, datas: []}  (JSON; Accept and Content-Type JSON)
// Ronglian answers HTTP 200 with {statusCode: "000000", templateSMS: {smsMessageSid, dateCreated}};
// any other statusCode is a refusal, named in the error (the send job retries, then keeps it
// in the failed set with that reason).
import { createHash } from 'node:crypto';
import { AppError } from '../../infra/errors.js';
import { OutboundError, outboundRequest, type OutboundResponse } from '../../infra/outbound.js';
import type { SmsProvider } from './index.js';

/** `YYYY-MM-DD HH:mm:ss` of `ms` in Beijing time (UTC+8, no daylight saving): Ronglian's clock, which the seed keeps. */
export function beijingTime(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** yyyyMMddHHmmss of `ms` in Beijing time, as Ronglian wants it. */
export const ronglianTimestamp = (ms: number): string => beijingTime(ms).replace(/[- :]/g, '');

export function ronglianSig(accountSid: string, authToken: string, ts: string): string {
  return createHash('md5')
    .update(accountSid + authToken + ts)
    .digest('hex')
    .toUpperCase();
}

export function ronglianAuthorization(accountSid: string, ts: string): string {
  return Buffer.from(`${accountSid}:${ts}`).toString('base64');
}

/** The request TemplateSMS takes, without sending it (tests compare it with the vendor's rules). */
export function ronglianTemplateSmsRequest(
  o: { baseUrl: string; version: string; accountSid: string; authToken: string; appId: string },
  msg: { to: string; templateId: string; datas: string[] },
  nowMs = Date.now(),
) {
  const ts = ronglianTimestamp(nowMs);
  return {
    url: `${o.baseUrl}/${o.version}/Accounts/${encodeURIComponent(o.accountSid)}/SMS/TemplateSMS?sig=${ronglianSig(o.accountSid, o.authToken, ts)}`,
    headers: { accept: 'application/json', 'content-type': 'application/json;charset=utf-8', authorization: ronglianAuthorization(o.accountSid, ts) },
    body: JSON.stringify({ appId: o.appId, to: msg.to, templateId: msg.templateId, datas: msg.datas }),
  };
}

export function createRonglianSms(o: {
  baseUrl: string;
  version: string;
  accountSid: string;
  authToken: string;
  appId: string;
  timeoutMs: number;
}): SmsProvider {
  return {
    name: 'ronglian',
    async send(msg) {
      const req = ronglianTemplateSmsRequest(o, msg);
      let res: OutboundResponse;
      try {
        // RONGLIAN_BASE_URL is the operator's: private addresses allowed.
        res = await outboundRequest(req.url, { method: 'POST', headers: req.headers, body: req.body, timeoutMs: o.timeoutMs, allowPrivate: true });
      } catch (err) {
        if (!(err instanceof OutboundError)) throw err;
        if (err.kind === 'too-large') throw new AppError('VENDOR_FAILED', `Ronglian: ${err.message}`);
        throw new AppError('VENDOR_FAILED', `Ronglian did not answer: ${err.kind === 'timeout' ? 'timeout' : 'unreachable'}`);
      }
      const text = res.body.toString('utf8');
      let json: { statusCode?: string; statusMsg?: string; templateSMS?: { smsMessageSid?: string } };
      try {
        json = JSON.parse(text) as typeof json;
      } catch {
        throw new AppError('VENDOR_FAILED', `Ronglian answered HTTP ${res.status} without JSON`);
      }
      if (json.statusCode !== '000000')
        throw new AppError('VENDOR_FAILED', `Ronglian refused the SMS: statusCode ${json.statusCode ?? '?'} ${json.statusMsg ?? ''}`.trim());
      return { messageId: json.templateSMS?.smsMessageSid ?? '' };
    },
  };
}
