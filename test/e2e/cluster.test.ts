// Two api processes and one worker process on one Redis: a client on api #1 gets a
// notify job from a plain BullMQ producer and an event emitted by api #2.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ADMIN_TOKEN, call, connect, nextEvent } from '../helpers.js';
import { apiMain, ensureBuild, freePort, run, workerMain, type Proc } from './processes.js';

const procs: Proc[] = [];
let api1 = '';
let api2 = '';
const env = {
  REDIS_URL: inject('redisUrl'),
  ADMIN_TOKEN,
  KEY_PREFIX: 'e2e',
  QUEUE_PREFIX: 'e2eq',
  LOG_LEVEL: 'info',
  HOST: '127.0.0.1',
  PASSWORD_SCRYPT_N: '1024',
};

beforeAll(async () => {
  ensureBuild();
  const [p1, p2] = [await freePort(), await freePort()];
  api1 = `http://127.0.0.1:${p1}`;
  api2 = `http://127.0.0.1:${p2}`;
  procs.push(run([apiMain], { ...env, PORT: String(p1) }), run([apiMain], { ...env, PORT: String(p2) }), run([workerMain], env));
  await Promise.all([procs[0]!.waitFor('api listening'), procs[1]!.waitFor('api listening'), procs[2]!.waitFor('workers running')]);
});

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
});

it('delivers a queued job and another node’s emit to a socket on api #1', async () => {
  const created = await call(api2, 'POST', '/v1/apps', { token: ADMIN_TOKEN, body: {} });
  const { appid, secret } = created.body;
  await call(api1, 'POST', '/v1/auth/register', { body: { appid, id: 'eve', password: 'pw' } });
  const login = await call(api2, 'POST', '/v1/auth/login', { body: { appid, id: 'eve', password: 'pw' } });
  const { socket, snapshot } = await connect(api1, login.body.token);
  expect(snapshot.user.id).toBe('eve');

  const conn = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const producer = new Queue('notify', { connection: conn, prefix: env.QUEUE_PREFIX });
  try {
    const fromQueue = nextEvent(socket, 'invoice.paid');
    await producer.add('notify', { appid, to: { user: 'eve' }, event: 'invoice.paid', data: { amount: 1200 } });
    expect(await fromQueue).toEqual({ amount: 1200 });

    const fromApi2 = nextEvent(socket, 'chat.message');
    const r = await call(api2, 'POST', '/v1/notify', {
      basic: [appid, secret],
      body: { to: { user: 'eve' }, event: 'chat.message', data: { text: 'from node 2' } },
    });
    expect(r.status).toBe(202);
    expect(await fromApi2).toEqual({ text: 'from node 2' });
  } finally {
    socket.close();
    await producer.close();
    conn.disconnect();
  }
});

it('shuts down cleanly on SIGTERM: sockets closed, processes exit 0', async () => {
  const created = await call(api1, 'POST', '/v1/apps', { token: ADMIN_TOKEN, body: {} });
  const session = await call(api1, 'POST', `/v1/apps/${created.body.appid}/tokens`, {
    basic: [created.body.appid, created.body.secret],
    body: { uid: 'z' },
  });
  const { socket } = await connect(api1, session.body.token);
  const closed = new Promise<string>((r) => socket.once('disconnect', r));
  expect(await procs[0]!.stop('SIGTERM')).toBe(0);
  expect(await closed).toMatch(/io server disconnect|transport close/);
  expect(await procs[2]!.stop('SIGTERM')).toBe(0);
  expect(procs[2]!.output()).toContain('shutting down');
});
