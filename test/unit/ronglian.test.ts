// Ronglian (cloopen) TemplateSMS as in ../shared/VENDORS.md: sig = upper(md5hex(AccountSid +
// AuthToken + ts)), ts yyyyMMddHHmmss in Beijing time, Authorization = base64(AccountSid:ts).
// The vector's md5 and base64 were computed outside this code (md5sum, base64 of coreutils):
//   printf '%s' 'ff8080813c373cd5013c3b8b8d1a0003a4c1f7b2a4e54d22b27bbd0ff7f1e23120130610191823' | md5sum
//   printf '%s' 'ff8080813c373cd5013c3b8b8d1a0003:20130610191823' | base64
// The send runs against a local fake Ronglian server that checks the request the way the vendor does.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsProvider, normalizeSmsNumber, parseNumberList } from '../../src/providers/sms/index.js';
import {
  createRonglianSms,
  ronglianAuthorization,
  ronglianSig,
  ronglianTemplateSmsRequest,
  ronglianTimestamp,
} from '../../src/providers/sms/ronglian.js';
import { createLogger } from '../../src/infra/logger.js';
import { loadConfig } from '../../src/config.js';
import { fakeHttp, type Fake } from '../helpers.js';

const SID = 'ff8080813c373cd5013c3b8b8d1a0003';
const TOKEN = 'a4c1f7b2a4e54d22b27bbd0ff7f1e231';
const AT = Date.UTC(2013, 5, 10, 11, 18, 23); // 2013-06-10 19:18:23 in Beijing

describe('Ronglian signature', () => {
  it('formats the timestamp in Beijing time (UTC+8), also across midnight and year end', () => {
    expect(ronglianTimestamp(AT)).toBe('20130610191823');
    expect(ronglianTimestamp(Date.UTC(2013, 11, 31, 16, 0, 5))).toBe('20140101000005');
  });

  it('matches the test vector: sig upper-case md5 hex, Authorization base64(sid:ts)', () => {
    expect(ronglianSig(SID, TOKEN, '20130610191823')).toBe('394A816A3ADB8DC5BE3CB29FFA896993');
    expect(ronglianAuthorization(SID, '20130610191823')).toBe('ZmY4MDgwODEzYzM3M2NkNTAxM2MzYjhiOGQxYTAwMDM6MjAxMzA2MTAxOTE4MjM=');
  });

  it('builds the TemplateSMS request: path with sig, JSON headers, {appId, to, templateId, datas}', () => {
    const r = ronglianTemplateSmsRequest(
      { baseUrl: 'https://app.cloopen.com:8883', version: '2013-12-26', accountSid: SID, authToken: TOKEN, appId: 'app1' },
      { to: '13800000000', templateId: '1', datas: ['会议', '10:00'] },
      AT,
    );
    expect(r.url).toBe(`https://app.cloopen.com:8883/2013-12-26/Accounts/${SID}/SMS/TemplateSMS?sig=394A816A3ADB8DC5BE3CB29FFA896993`);
    expect(r.headers).toEqual({
      accept: 'application/json',
      'content-type': 'application/json;charset=utf-8',
      authorization: 'ZmY4MDgwODEzYzM3M2NkNTAxM2MzYjhiOGQxYTAwMDM6MjAxMzA2MTAxOTE4MjM=',
    });
    expect(JSON.parse(r.body)).toEqual({ appId: 'app1', to: '13800000000', templateId: '1', datas: ['会议', '10:00'] });
  });
});

describe('SMS numbers', () => {
  it('accepts mainland mobiles (with or without +86) and international numbers, refuses the rest', () => {
    expect(normalizeSmsNumber('13800000000')).toBe('13800000000');
    expect(normalizeSmsNumber('+86 138-0000-0000')).toBe('13800000000');
    expect(normalizeSmsNumber('008613800000000')).toBe('13800000000');
    expect(normalizeSmsNumber('+447700900123')).toBe('+447700900123');
    for (const bad of ['12345', '23800000000', '1380000000', '138000000001', 'abc', '+8612', '']) expect(normalizeSmsNumber(bad)).toBeNull();
  });

  it('splits the seed list, drops duplicates and names every bad number', () => {
    expect(parseNumberList('13800000000, 13900000000,13800000000')).toEqual({ numbers: ['13800000000', '13900000000'], invalid: [] });
    expect(parseNumberList('13800000000,12,abc')).toEqual({ numbers: ['13800000000'], invalid: ['12', 'abc'] });
  });
});

describe('Ronglian send against a fake server', () => {
  let fake: Fake;
  let base = '';
  let answer: Record<string, unknown> = { statusCode: '000000', templateSMS: { smsMessageSid: 'sms-1', dateCreated: '20130610191823' } };

  beforeAll(async () => {
    fake = await fakeHttp((_body, req) => {
      // What the vendor checks: the sig of the path against the Authorization's timestamp.
      const [sid, ts] = Buffer.from(String(req.headers.authorization), 'base64').toString().split(':');
      const sig = createHash('md5').update(`${sid}${TOKEN}${ts}`).digest('hex').toUpperCase();
      const ok = req.url === `/2013-12-26/Accounts/${SID}/SMS/TemplateSMS?sig=${sig}`;
      return { json: ok ? answer : { statusCode: '111111', statusMsg: 'bad sig' } };
    });
    base = fake.url;
  });
  afterAll(() => fake?.close());

  it('sends one signed TemplateSMS and returns the message id', async () => {
    const sms = createRonglianSms({ baseUrl: base, version: '2013-12-26', accountSid: SID, authToken: TOKEN, appId: 'app1', timeoutMs: 5000 });
    expect(await sms.send({ to: '13800000000', templateId: '1', datas: ['x'] })).toEqual({ messageId: 'sms-1' });
    const req = fake.requests.at(-1)!;
    expect(req.headers.accept).toBe('application/json');
    expect(req.headers['content-type']).toBe('application/json;charset=utf-8');
    expect(JSON.parse(req.body)).toEqual({ appId: 'app1', to: '13800000000', templateId: '1', datas: ['x'] });
  });

  it('a refusal (statusCode other than 000000) fails with the vendor reason', async () => {
    answer = { statusCode: '160040', statusMsg: 'over the daily limit' };
    const sms = createRonglianSms({ baseUrl: base, version: '2013-12-26', accountSid: SID, authToken: TOKEN, appId: 'app1', timeoutMs: 5000 });
    await expect(sms.send({ to: '13800000000', templateId: '1', datas: [] })).rejects.toThrow(/160040 over the daily limit/);
    // a wrong token gives a bad sig at the vendor
    const wrong = createRonglianSms({ baseUrl: base, version: '2013-12-26', accountSid: SID, authToken: 'wrong', appId: 'app1', timeoutMs: 5000 });
    await expect(wrong.send({ to: '13800000000', templateId: '1', datas: [] })).rejects.toThrow(/111111/);
  });

  it('SMS_PROVIDER=ronglian without credentials refuses clearly; log is the default', async () => {
    const log = createLogger('silent', 'test');
    const p = createSmsProvider(loadConfig({}, { SMS_PROVIDER: 'ronglian' }), log);
    await expect(p.send({ to: '13800000000', templateId: '1', datas: [] })).rejects.toThrow(/RONGLIAN_ACCOUNT_SID/);
    const d = createSmsProvider(loadConfig({}), log);
    expect(d.name).toBe('log');
    expect((await d.send({ to: '13800000000', templateId: '1', datas: [] })).messageId).toMatch(/^log-/);
  });
});
