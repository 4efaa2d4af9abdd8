import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectClient, SwitchboardError } from '../../src/client/index.js';
import { createApp, loginUser, startServer, type TestServer } from '../helpers.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => srv?.close());

it('the typed client connects, requests, and surfaces server error codes', async () => {
  const app = await createApp(srv.url);
  const client = connectClient(srv.url, { token: await loginUser(srv.url, app.appid, 'typed') });
  const snap = await client.ready;
  expect(snap.user.id).toBe('typed');
  const pong = await client.request('session.ping', { t: 5 });
  expect(pong.t).toBe(5);
  const err = await client.request('session.ping', { t: 'x' } as never).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SwitchboardError);
  expect((err as SwitchboardError).code).toBe('VALIDATION_FAILED');
  client.close();

  const refused = connectClient(srv.url, { token: 'nope', socket: { reconnection: false } });
  await expect(refused.ready).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  refused.close();
});
