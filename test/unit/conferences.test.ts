// Pure parts of conferences: the seed's start time, Beijing-time formatting, what the simulated
// carrier does with a number, and the webhook signature both ways.
import { describe, expect, it } from 'vitest';
import { beijingTime, parseStartTime, participantKey } from '../../src/modules/conferences/service.js';
import { simulatedOutcome } from '../../src/providers/telephony/simulated.js';
import { createTelephonyProvider } from '../../src/providers/telephony/index.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { Queues } from '../../src/infra/queues.js';
import { commandBody, signBody, verifySignedBody } from '../../src/providers/telephony/webhook.js';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5); // 2026-01-02 11:04:05 in Beijing

describe('conference start time', () => {
  it('empty, absent or null is now', () => {
    for (const t of ['', '  ', undefined, null]) expect(parseStartTime(t, NOW)).toBe(NOW);
  });
  it('unix seconds or ms, as numbers or digits', () => {
    expect(parseStartTime(1767323045, NOW)).toBe(1767323045000);
    expect(parseStartTime('1767323045', NOW)).toBe(1767323045000);
    expect(parseStartTime(1767323045123, NOW)).toBe(1767323045123);
  });
  it('YYYY-MM-DD HH:mm[:ss] is Beijing time; ISO 8601 keeps its zone', () => {
    expect(parseStartTime('2026-01-02 11:04:05', NOW)).toBe(NOW);
    expect(parseStartTime('2026/1/2 11:04', NOW)).toBe(NOW - 5000);
    expect(parseStartTime('2026-01-02T03:04:05Z', NOW)).toBe(NOW);
    expect(() => parseStartTime('tomorrow', NOW)).toThrow(/invalid time/);
  });
  it('formats in Beijing time', () => {
    expect(beijingTime(NOW)).toBe('2026-01-02 11:04:05');
    expect(beijingTime(Date.UTC(2025, 11, 31, 16, 0, 0))).toBe('2026-01-01 00:00:00');
  });
  it('participants are keyed by user id, else by number', () => {
    expect(participantKey({ id: 'u1', number: '138' })).toBe('u1');
    expect(participantKey({ number: '138' })).toBe('tel:138');
  });
});

describe('simulated carrier', () => {
  const o = { answerMs: 100, hangupMs: 50, failPattern: /0000$/, hangupPattern: /9999$/ };
  it('answers, fails or answers then hangs up by number pattern', () => {
    expect(simulatedOutcome('13800000001', o)).toEqual([
      { state: 'ringing', delay: 0 },
      { state: 'answered', delay: 100 },
    ]);
    expect(simulatedOutcome('13800000000', o)).toEqual([
      { state: 'ringing', delay: 0 },
      { state: 'failed', delay: 100 },
    ]);
    expect(simulatedOutcome('13899999999', o)).toEqual([
      { state: 'ringing', delay: 0 },
      { state: 'answered', delay: 100 },
      { state: 'hungup', delay: 150 },
    ]);
  });
});

describe('telephony provider choice', () => {
  const queues = {} as Queues;
  it('a bad simulated pattern stops the process at boot, naming the variable', () => {
    expect(() => createTelephonyProvider(loadConfig({}, { TELEPHONY_SIM_FAIL_PATTERN: '([' }), queues)).toThrow(ConfigError);
    expect(() => createTelephonyProvider(loadConfig({}, { TELEPHONY_SIM_HANGUP_PATTERN: '*x' }), queues)).toThrow(/TELEPHONY_SIM_HANGUP_PATTERN/);
  });
  it('webhook without URL and secret refuses every command clearly', async () => {
    const p = createTelephonyProvider(loadConfig({}, { TELEPHONY_PROVIDER: 'webhook' }), queues);
    await expect(p.execute({ action: 'hangup', leg: { appid: 'a1', confId: '1', vid: 'v', callid: '1-1' } })).rejects.toThrow(
      /TELEPHONY_WEBHOOK_URL/,
    );
  });
});

describe('webhook signature', () => {
  const secret = 'carrier-secret-0123456789';
  const body = JSON.stringify({ appid: 'a1', confId: '1', callid: '1-1', state: 'answered' });
  const ts = Math.floor(NOW / 1000);
  const headers = (sig: string, t: number | string = ts) => ({ 'x-switchboard-timestamp': String(t), 'x-switchboard-signature': sig });

  it('is hex HMAC-SHA256 over "<timestamp>.<body>" and verifies', () => {
    // Computed outside this code: printf '%s' "1767323045.$BODY" | openssl dgst -sha256 -hmac "$SECRET"
    expect(signBody(secret, ts, body)).toBe('v1=ae7047197efa0968cc1fe506bf4930973af121db02d3bc0c54d04dad82ee0a72');
    expect(() => verifySignedBody(secret, headers(signBody(secret, ts, body)), body, 300, NOW)).not.toThrow();
    expect(() => verifySignedBody(secret, headers(signBody(secret, ts, body).toUpperCase().replace('V1=', 'v1=')), body, 300, NOW)).not.toThrow();
  });
  it('refuses a tampered body, another secret, a missing header and a stale or future timestamp', () => {
    const sig = signBody(secret, ts, body);
    expect(() => verifySignedBody(secret, headers(sig), body.replace('answered', 'failed'), 300, NOW)).toThrow(/does not match/);
    expect(() => verifySignedBody('another-secret-0123456789', headers(sig), body, 300, NOW)).toThrow(/does not match/);
    expect(() => verifySignedBody(secret, { 'x-switchboard-signature': sig }, body, 300, NOW)).toThrow(/required/);
    expect(() => verifySignedBody(secret, headers(sig), body, 300, NOW + 301_000)).toThrow(/300 s/);
    expect(() => verifySignedBody(secret, headers(signBody(secret, ts + 1000, body), ts + 1000), body, 300, NOW)).toThrow(/300 s/);
  });
  it('command bodies name the leg (and the number for a dial)', () => {
    const leg = { appid: 'a1', confId: '1', vid: 'v', callid: '1-2' };
    expect(commandBody({ action: 'dial', leg, number: '+44', name: 'Zoe' })).toEqual({ action: 'dial', ...leg, number: '+44', name: 'Zoe' });
    expect(commandBody({ action: 'mute', leg })).toEqual({ action: 'mute', ...leg });
  });
});
