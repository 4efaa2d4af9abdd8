import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectClient, SwitchboardError } from '../../src/client/index.js';
import { call, createApp, loginUser, startServer, type TestServer } from '../helpers.js';

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

it('the typed client tries a handshake refused with UNAVAILABLE again (Redis failing over), and gives up on any other refusal', async () => {
  // A Socket.IO server that refuses the first two handshakes as the gateway does while Redis
  // fails over (connect_error data {code: 'UNAVAILABLE'}), then lets the client in.
  const { createServer } = await import('node:http');
  const { Server } = await import('socket.io');
  const http = createServer();
  const io = new Server(http);
  let handshakes = 0;
  io.use((_socket, next) => {
    handshakes++;
    if (handshakes <= 2)
      return next(
        Object.assign(new Error('the data store is unavailable or failing over: retry in a moment'), {
          data: { code: 'UNAVAILABLE', message: 'retry' },
        }),
      );
    next();
  });
  io.on('connection', (s) => s.emit('session.snapshot', { user: { id: 'back' } }));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  try {
    const client = connectClient(url, { token: 't' });
    const refusals: string[] = [];
    client.socket.on('connect_error', (err: Error & { data?: { code?: string } }) => void refusals.push(err.data?.code ?? ''));
    const snap = await client.ready;
    expect(snap.user.id).toBe('back');
    expect(refusals).toEqual(['UNAVAILABLE', 'UNAVAILABLE']);
    client.close();
  } finally {
    io.close();
  }
}, 20_000);

it('the typed client reapplies the snapshot on a reconnect and joins again the rooms it lost while offline', async () => {
  const app = await createApp(srv.url);
  const token = await loginUser(srv.url, app.appid, 'roamer');
  const hostToken = await loginUser(srv.url, app.appid, 'host');
  const [kept, lost] = (await Promise.all(
    [0, 1].map(async () => (await call(srv.url, 'POST', '/v1/rooms', { token: hostToken, body: {} })).body.roomId as string),
  )) as [string, string];
  const client = connectClient(srv.url, { token, socket: { reconnectionDelay: 50, reconnectionDelayMax: 100 } });
  await client.ready;
  await client.request('room.join', { roomId: kept });
  await client.request('room.join', { roomId: lost });
  expect([...client.rooms].sort()).toEqual([kept, lost].sort());

  // The user leaves one room elsewhere (another socket of theirs, as a member timed out while
  // offline would be): the snapshot after the reconnect no longer lists it.
  const other = connectClient(srv.url, { token });
  await other.ready;
  await other.request('room.leave', { roomId: lost });
  other.close();
  const reconnected = new Promise<{ snapshot: unknown; joined: string[]; failed: unknown[] }>((resolve) =>
    client.onReconnect((snapshot, r) => resolve({ snapshot, ...r })),
  );
  client.socket.io.engine.close(); // the transport drops: Socket.IO reconnects

  const r = await reconnected;
  expect(r.joined).toEqual([lost]);
  expect(r.failed).toEqual([]);
  expect(client.snapshot).toBe(r.snapshot);
  expect((r.snapshot as { rooms: Array<{ roomId: string }> }).rooms.map((x) => x.roomId)).toEqual([kept]);
  // Back in both: the room's members list the user again.
  const members = await client.request('room.members', { roomId: lost, offset: 0, limit: 50 });
  expect(JSON.stringify(members)).toContain('roamer');
  client.close();
}, 20_000);
