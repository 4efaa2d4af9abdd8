// `npm start` as a new user runs it: private Redis, bootstrap credentials printed and
// persisted, api + worker up; SIGTERM stops everything and the data survives a restart.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { call, connect } from '../helpers.js';
import { ensureBuild, freePort, run } from './processes.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sb-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('starts, prints and reuses bootstrap credentials, and keeps data across restarts', async () => {
  ensureBuild();
  const env = {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    REDIS_PORT: String(await freePort()),
    HOST: '127.0.0.1',
    REDIS_URL: '',
    ADMIN_TOKEN: '',
    PASSWORD_SCRYPT_N: '1024',
  };
  const base = `http://127.0.0.1:${env.PORT}`;

  const first = run(['scripts/start.mjs'], env);
  await first.waitFor('workers running', 60_000);
  await first.waitFor('api listening');
  const out = first.output();
  expect(out).toContain(`API        http://localhost:${env.PORT}/v1`);
  expect(out).toContain('/docs');
  expect(out).toContain('/dashboard');
  const adminToken = /ADMIN_TOKEN {2}(\S+)/.exec(out)?.[1];
  const appid = /appid {8}(\S+)/.exec(out)?.[1];
  const secret = /app secret {3}(\S+)/.exec(out)?.[1];
  expect(adminToken && appid && secret).toBeTruthy();
  expect(JSON.parse(readFileSync(join(dataDir, 'bootstrap.json'), 'utf8'))).toEqual({ adminToken, appid, secret });

  expect((await call(base, 'GET', '/readyz')).status).toBe(200);
  expect((await call(base, 'GET', '/v1/apps', { token: adminToken! })).status).toBe(200);
  const session = await call(base, 'POST', `/v1/apps/${appid}/tokens`, { basic: [appid!, secret!], body: { uid: 'first-user' } });
  expect(session.status).toBe(200);
  const { socket } = await connect(base, session.body.token);
  const closed = new Promise<string>((r) => socket.once('disconnect', r));

  expect(await first.stop('SIGTERM')).toBe(0);
  await closed;
  expect(first.output()).toContain('private Redis stopped, data saved');

  // Stopped the way a terminal's Ctrl-C does it: SIGINT to the whole process group.
  const second = run(['scripts/start.mjs'], env, { group: true });
  try {
    await second.waitFor('api listening', 60_000);
    expect(second.output()).toContain(`Bootstrap credentials: appid ${appid}`);
    expect(second.output()).not.toContain(secret!);
    const user = await call(base, 'GET', `/v1/apps/${appid}/users/first-user`, { basic: [appid!, secret!] });
    expect(user.status).toBe(200);
    expect(user.body.id).toBe('first-user');
  } finally {
    expect(await second.stop('SIGINT')).toBe(0);
  }
  expect(second.output()).toContain('private Redis stopped, data saved');
  expect(second.output()).not.toContain('shutdown timed out');
  expect(second.output()).not.toContain('ECONNREFUSED');
  // Two cold starts (install check, build check, Redis, api, worker) on a loaded 2-core
  // machine: a bound on a hang, not a performance goal.
}, 180_000);
