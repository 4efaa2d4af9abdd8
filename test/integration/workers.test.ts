import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRegistry } from '../../workers/runtime.js';
import { registry } from '../../workers/registry.js';
import { QUEUES } from '../../src/modules/index.js';
import { startThrowawayRedis } from '../../scripts/setup.mjs';
import { connect, loginUser, nextEvent, startTestWorkers, testConfig, until, useStack } from '../helpers.js';

const stack = useStack();
let producer: Queue;
let events: QueueEvents;
let conn: Redis;

beforeAll(async () => {
  const { srv } = stack;
  // A backend service's producer: plain BullMQ, only the queue name and prefix in common.
  conn = new Redis(srv.config.REDIS_URL, { maxRetriesPerRequest: null });
  producer = new Queue('notify', { connection: conn, prefix: srv.config.QUEUE_PREFIX });
  events = new QueueEvents('notify', { connection: { url: srv.config.REDIS_URL } as never, prefix: srv.config.QUEUE_PREFIX });
  await events.waitUntilReady();
});
afterAll(async () => {
  await events?.close();
  await producer?.close();
  conn?.disconnect();
});

async function failedReason(jobId: string): Promise<string> {
  const job = await producer.getJob(jobId);
  if (!job) throw new Error('job vanished');
  try {
    await job.waitUntilFinished(events, 5000);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('job completed but should have failed');
}

describe('notify queue', () => {
  it('delivers a job from a plain BullMQ producer to the user and a room', async () => {
    const { socket } = await connect(stack.url, await loginUser(stack.url, stack.app.appid, 'w-user'));
    const got = nextEvent(socket, 'order.shipped');
    await producer.add('notify', { appid: stack.app.appid, to: { user: 'w-user' }, event: 'order.shipped', data: { id: 7 } });
    expect(await got).toEqual({ id: 7 });

    await stack.srv.app.io.in(`user:${stack.app.appid}:w-user`).socketsJoin(`room:${stack.app.appid}:lobby`);
    const roomGot = nextEvent(socket, 'lobby.news');
    await producer.add('notify', { appid: stack.app.appid, to: { room: 'lobby' }, event: 'lobby.news' });
    expect(await roomGot).toBeNull();
    socket.close();
  });

  it('fails a bad payload at once with a reason naming the field, kept in the failed set', async () => {
    const job = await producer.add('notify', { appid: stack.app.appid, to: { user: 42 }, event: 'x.y' }, { attempts: 5 });
    expect(await failedReason(job.id!)).toMatch(/^invalid notify\/notify payload: to/);
    const stored = await producer.getJob(job.id!);
    expect(await stored!.getState()).toBe('failed');
    expect(stored!.attemptsMade).toBe(1); // not retried: a bad payload never gets better

    const missing = await producer.add('notify', { appid: stack.app.appid, to: { user: 'u' } });
    expect(await failedReason(missing.id!)).toMatch(/event: is required/);
  });

  it('fails an unknown job name and an unknown app with a clear reason', async () => {
    const unknown = await producer.add('notfy', { appid: stack.app.appid, to: { user: 'u' }, event: 'x.y' });
    expect(await failedReason(unknown.id!)).toBe('unknown job name "notfy" for queue notify; expected one of: notify');
    const noApp = await producer.add('notify', { appid: 'nosuchapp', to: { user: 'u' }, event: 'x.y' });
    expect(await failedReason(noApp.id!)).toBe('APP_NOT_FOUND: no app nosuchapp');
    expect(await producer.getFailedCount()).toBeGreaterThanOrEqual(4);
  });

  it('the producer helper validates before enqueueing', async () => {
    await expect(
      stack.srv.app.core.queues.add('notify', 'notify', { appid: stack.app.appid, to: { user: 'u' }, event: 'bad event name' } as never),
    ).rejects.toThrow(/event/);
  });
});

describe('shutdown', () => {
  it("closes every Redis connection it opened, each queue's worker connection included", async () => {
    // A Redis of its own: other test files' workers use the same connection names.
    const own = await startThrowawayRedis();
    try {
      const node = await startTestWorkers(testConfig({ REDIS_URL: own.url }));
      const probe = new Redis(own.url);
      const queueClients = async () =>
        ((await probe.client('LIST')) as string)
          .split('\n')
          .filter((l) => Object.keys(QUEUES).some((q) => l.includes(` name=switchboard:worker:${q} `)));
      expect(await queueClients()).toHaveLength(Object.keys(QUEUES).length);
      await node.close();
      // BullMQ never closes a connection it was given; the node must.
      await until(async () => (await queueClients()).length === 0, 5000, 'the queue connections to close');
      probe.disconnect();
    } finally {
      await own.stop();
    }
  });
});

describe('registry', () => {
  it('refuses to start with a job that has no processor, or a processor for no job', () => {
    expect(() => checkRegistry(registry as never)).not.toThrow();
    expect(() => checkRegistry({ notify: {} })).toThrow('notify/notify has no processor');
    expect(() => checkRegistry({ notify: { ...registry.notify }, ghost: { run: async () => null } } as never)).toThrow(
      'ghost/run is not in the queue catalogue',
    );
  });
});

describe('sweep loops', () => {
  it('a closing worker stops a running sweep job instead of waiting out its period, and the job completes', async () => {
    // A period far beyond the test: close() returning at all shows the loop was stopped.
    const config = testConfig({ SWEEP_JOB_MS: 600_000, ROOM_SWEEP_INTERVAL_MS: 100 });
    const node = await startTestWorkers(config);
    const rooms = new Queue('rooms', { connection: { url: config.REDIS_URL } as never, prefix: config.QUEUE_PREFIX });
    try {
      await until(async () => (await rooms.getActiveCount()) === 1, 5000, 'the rooms sweep job running');
      const [job] = await rooms.getJobs(['active']);
      await node.close();
      // It completed (not failed, not stalled) with the sweeps it had made.
      const done = await rooms.getJob(job!.id!);
      expect(done === undefined || (await done.getState()) === 'completed').toBe(true);
      expect(await rooms.getActiveCount()).toBe(0);
      expect(await rooms.getFailedCount()).toBe(0);
    } finally {
      await rooms.close();
    }
  });
});
