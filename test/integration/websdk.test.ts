// Seed 004 §3.2's web SDK files are served (no browser here; test/browser/websdk.test.ts
// runs them): every file at /LiveVideoServer/js/<name> and /LiveVideoServer/<name>, 200,
// a JavaScript content type, the bytes of assets/websdk/ (jQuery: of node_modules).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JQUERY_NAMES, SDK_FILES } from '../../src/dialects/videocloud/sdk.js';
import { root } from '../../scripts/setup.mjs';
import { startServer, type TestServer } from '../helpers.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

describe('seed 004 web SDK files', () => {
  const jquery = readFileSync(createRequire(import.meta.url).resolve('jquery/dist/jquery.min.js'));
  const expected = (name: string) => (name.startsWith('jquery') ? jquery : readFileSync(join(root, 'assets', 'websdk', name)));

  it.each([...SDK_FILES, ...JQUERY_NAMES])('%s answers at both paths', async (name) => {
    for (const path of [`/LiveVideoServer/js/${name}`, `/LiveVideoServer/${name}`]) {
      const res = await fetch(`${srv.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^(text|application)\/javascript\b/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await res.arrayBuffer()).equals(expected(name)), path).toBe(true);
    }
  });

  it('serves jQuery 3 under the names the document uses', async () => {
    const text = await (await fetch(`${srv.url}/LiveVideoServer/js/jquery-1.7.1.min.js`)).text();
    expect(text).toMatch(/jQuery v3\./);
  });

  it('answers 404 for names it does not have', async () => {
    expect((await fetch(`${srv.url}/LiveVideoServer/js/vtc3p.js`)).status).toBe(404);
  });
});
