import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { loggerOptions } from '../../src/infra/logger.js';

it('redacts secrets, tokens and passwords wherever they appear, and logs paths without query strings', () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const log = pino(loggerOptions('info', 'test'), sink);
  log.info(
    {
      password: 'hunter2',
      body: { password: 'pw2', secret: 's3', token: 't4' },
      req: { method: 'GET', url: '/index.php?token=abc', headers: { authorization: 'Bearer zzz' } },
    },
    'hello',
  );
  const out = lines.join('');
  for (const leaked of ['hunter2', 'pw2', 's3', 't4', 'abc', 'zzz']) expect(out).not.toContain(leaked);
  expect(out).toContain('[redacted]');
  expect(JSON.parse(out).req.path).toBe('/index.php');
});
