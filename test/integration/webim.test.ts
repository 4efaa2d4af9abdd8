// Web IM (seed 004 §3.2.2) over real sockets: third-party users log in for a token, open
// sockets, set a status that reaches their subscribers, send messages that reach every
// socket of the recipient (on either of two api nodes) or wait in Redis until they connect.
import { io as ioc, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, collect, createApp, nextEvent, startServer, testConfig, until, type TestServer, type TestSnapshot } from '../helpers.js';

let a: TestServer;
let b: TestServer;
let app: { appid: string; secret: string };
const open: Socket[] = [];
const users: Record<string, { userId: string; token: string }> = {};

beforeAll(async () => {
  const cfg = testConfig({ WEBIM_OFFLINE_MAX: 3 });
  a = await startServer({}, cfg);
  b = await startServer({}, cfg);
  app = await createApp(a.url, { appid: 'imapp' });
  for (const id of ['alice', 'bob', 'carol']) {
    const add = await call(a.url, 'POST', '/v1/apps/imapp/third-party/users', {
      basic: [app.appid, app.secret],
      body: { thirdPartyId: id, password: `pw-${id}` },
    });
    expect(add.status).toBe(201);
    // The web IM login: platform user id + password (here through the native third-party login).
    const login = await call(a.url, 'POST', '/v1/third-party/login', { body: { appid: 'imapp', thirdPartyId: id, password: `pw-${id}` } });
    expect(login.body.userId).toBe(add.body.userId);
    users[id] = { userId: add.body.userId, token: login.body.token };
  }
});
afterAll(async () => {
  for (const s of open) s.close();
  await a?.close();
  await b?.close();
});

/** Opens a socket with the handlers attached before it connects (kept messages come first). */
function openIm(url: string, who: string) {
  const socket = ioc(url, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false, auth: { token: users[who]!.token } });
  open.push(socket);
  const messages = collect(socket, 'im.message');
  const presence = collect(socket, 'im.presence');
  const connected = nextEvent(socket, 'im.connected');
  const snapshot = nextEvent<TestSnapshot>(socket, 'session.snapshot'); // with the webim part
  socket.connect();
  return { socket, messages, presence, connected, snapshot };
}
const ack = (s: Socket, event: string, payload: unknown) => s.emitWithAck(event, payload);

describe('web IM', () => {
  it('logs in with the platform user id and password, and says connected', async () => {
    const login = await call(a.url, 'POST', '/v1/auth/login', { body: { appid: 'imapp', id: users.carol!.userId, password: 'pw-carol' } });
    expect(login.status).toBe(200);
    const c = openIm(a.url, 'carol');
    expect(await c.connected).toMatchObject({ uid: users.carol!.userId, offline: 0 });
    expect((await c.snapshot).webim).toEqual({ offline: [] });
    c.socket.close();
  });

  it('status goes to subscribers as presence; the last socket closing says offline', async () => {
    const bob = openIm(b.url, 'bob');
    await bob.connected;
    const alice = openIm(a.url, 'alice');
    await alice.connected;
    const sub = await ack(bob.socket, 'im.subscribe', { uid: users.alice!.userId });
    expect(sub).toMatchObject({ ok: true, data: { uid: users.alice!.userId, presence: { from: users.alice!.userId, online: true, status: null } } });
    // Carol is not subscribed: she hears nothing.
    const carol = openIm(a.url, 'carol');
    await carol.connected;

    const set = await ack(alice.socket, 'im.status', { status: 'busy: in a meeting <xml/>' });
    expect(set).toEqual({ ok: true, data: { status: 'busy: in a meeting <xml/>', subscribers: 1 } });
    await until(() => bob.presence.length === 1, 5000, 'presence at bob');
    expect(bob.presence[0]).toMatchObject({ from: users.alice!.userId, online: true, status: 'busy: in a meeting <xml/>' });
    expect((await call(b.url, 'GET', `/v1/webim/presence/${users.alice!.userId}`, { token: users.bob!.token })).body).toMatchObject({
      online: true,
      status: 'busy: in a meeting <xml/>',
    });
    expect((await call(a.url, 'GET', '/v1/webim/subscriptions', { token: users.alice!.token })).body).toEqual({
      following: [],
      subscribers: [users.bob!.userId],
    });

    // A second socket of alice's: closing one keeps her online, closing the last does not.
    const alice2 = openIm(b.url, 'alice');
    await alice2.connected;
    alice2.socket.close();
    alice.socket.close();
    await until(() => bob.presence.length === 2, 5000, 'offline presence at bob');
    expect(bob.presence[1]).toMatchObject({ from: users.alice!.userId, online: false, status: null });
    expect(bob.presence).toHaveLength(2);
    expect(carol.presence).toHaveLength(0);

    expect(await ack(bob.socket, 'im.unsubscribe', { uid: users.alice!.userId })).toEqual({ ok: true, data: { removed: true } });

    // Contacts made by the app's backend: both ways.
    const made = await call(a.url, 'POST', '/v1/apps/imapp/webim/contacts', {
      basic: [app.appid, app.secret],
      body: { uids: [users.bob!.userId, users.carol!.userId] },
    });
    expect(made.body).toEqual({ uids: [users.bob!.userId, users.carol!.userId] });
    await ack(carol.socket, 'im.status', { status: 'here' });
    await ack(bob.socket, 'im.status', { status: 'there' });
    await until(
      () => bob.presence.some((p) => p.from === users.carol!.userId) && carol.presence.some((p) => p.from === users.bob!.userId),
      5000,
      'presence both ways',
    );
    expect((await ack(carol.socket, 'im.subscriptions', {})).data).toEqual({ following: [users.bob!.userId], subscribers: [users.bob!.userId] });
    expect(
      (
        await call(a.url, 'POST', '/v1/apps/imapp/webim/contacts/remove', {
          basic: [app.appid, app.secret],
          body: { uids: [users.carol!.userId, users.bob!.userId] },
        })
      ).body,
    ).toEqual({ removed: true });
    expect((await ack(carol.socket, 'im.subscriptions', {})).data).toEqual({ following: [], subscribers: [] });
    expect(
      (await call(a.url, 'POST', '/v1/apps/imapp/webim/contacts', { basic: [app.appid, app.secret], body: { uids: [users.bob!.userId, 'nobody'] } }))
        .body.error.code,
    ).toBe('USER_NOT_FOUND');
    bob.socket.close();
    carol.socket.close();
  });

  it('delivers to every socket of the recipient, on both nodes', async () => {
    const bob1 = openIm(a.url, 'bob');
    const bob2 = openIm(b.url, 'bob');
    const alice = openIm(b.url, 'alice');
    await Promise.all([bob1.connected, bob2.connected, alice.connected]);
    const sent = await ack(alice.socket, 'im.send', { to: users.bob!.userId, body: '你好 bob' });
    expect(sent).toMatchObject({ ok: true, data: { delivered: true, queued: false } });
    await until(() => bob1.messages.length === 1 && bob2.messages.length === 1, 5000, "the message on both of bob's sockets");
    for (const m of [bob1.messages[0], bob2.messages[0]])
      expect(m).toEqual({ id: sent.data.id, from: users.alice!.userId, to: users.bob!.userId, body: '你好 bob', at: sent.data.at });
    expect(alice.messages).toHaveLength(0);
    // The same over REST.
    const rest = await call(a.url, 'POST', '/v1/webim/messages', { token: users.bob!.token, body: { to: users.alice!.userId, body: 'hi back' } });
    expect(rest.body).toMatchObject({ delivered: true });
    await until(() => alice.messages.length === 1, 5000, 'the reply');
    // Only platform user ids of the app; the payload is checked.
    expect(await ack(alice.socket, 'im.send', { to: 'bob', body: 'x' })).toMatchObject({ ok: false, error: { code: 'USER_NOT_FOUND' } });
    expect(await ack(alice.socket, 'im.send', { to: users.bob!.userId })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect((await ack(alice.socket, 'im.send', { to: users.bob!.userId, body: '' })).error.message).toMatch(/body/);
    for (const s of [bob1, bob2, alice]) s.socket.close();
  });

  it('keeps messages for a user without a socket (capped) and delivers them once, on connect', async () => {
    await until(async () => (await a.app.core.emitter.userSocketCount('imapp', users.bob!.userId)) === 0, 5000, 'bob offline');
    const alice = openIm(a.url, 'alice');
    await alice.connected;
    const ids: string[] = [];
    for (const body of ['one', 'two', 'three', 'four']) {
      const r = await ack(alice.socket, 'im.send', { to: users.bob!.userId, body });
      expect(r.data).toMatchObject({ delivered: false, queued: true });
      ids.push(r.data.id);
    }
    const bob = openIm(b.url, 'bob');
    // WEBIM_OFFLINE_MAX is 3: the oldest went; the rest arrive oldest first, before im.connected.
    expect(await bob.connected).toMatchObject({ offline: 3 });
    expect(bob.messages.map((m) => m.body)).toEqual(['two', 'three', 'four']);
    expect(bob.messages.every((m) => m.offline === true && m.from === users.alice!.userId)).toBe(true);
    expect((await bob.snapshot).webim.offline.map((m: { id: string }) => m.id)).toEqual(ids.slice(1));
    // Taken: a second socket gets none, nor does an explicit snapshot.
    const again = openIm(a.url, 'bob');
    expect(await again.connected).toMatchObject({ offline: 0 });
    expect(again.messages).toHaveLength(0);
    expect((await ack(bob.socket, 'session.snapshot', {})).data.webim).toEqual({ offline: [] });
    for (const s of [alice, bob, again]) s.socket.close();
  });
});
