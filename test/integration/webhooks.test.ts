// Outbound webhooks end to end: a real api node and real workers deliver to local receiver
// HTTP servers that check the signature as an app's backend would (HMAC written out here,
// independent of our signing code). Short retry settings: base 100 ms, doubling up to 400 ms,
// a 1.5 s window.
import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEventName } from '../../src/infra/events.js';
import type { DeliveryViewT as DeadLetter } from '../../src/modules/webhooks/schemas.js';
import { createWebhooksService } from '../../src/modules/webhooks/service.js';
import {
  ADMIN_TOKEN,
  call,
  createApp,
  listenLocal,
  loginUser,
  startServer,
  startTestWorkers,
  type Local,
  sleep,
  until,
  useStack,
} from '../helpers.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: { id: string; type: string; time: string; appid: string; data: Record<string, unknown> };
  status: number;
}

let receiver: Local;
let base: string;
let other: { appid: string; secret: string };
const received: Received[] = [];
/** Per path: the status to answer for the n-th request of an event id (n from 1). Default 200. */
const behaviour = new Map<string, (eventId: string, n: number) => number>();
const seenPerEvent = new Map<string, number>();

// The receiver starts before the stack and stops after it (hooks written before useStack).
beforeAll(async () => {
  receiver = await listenLocal((req, res, raw) => {
    const body = JSON.parse(raw) as Received['body'];
    const path = req.url ?? '';
    const key = `${path}|${body.id}`;
    const n = (seenPerEvent.get(key) ?? 0) + 1;
    seenPerEvent.set(key, n);
    const status = behaviour.get(path)?.(body.id, n) ?? 200;
    received.push({ path, headers: req.headers, raw, body, status });
    res.statusCode = status;
    res.end(status < 300 ? 'ok' : 'nope');
  });
  base = receiver.url;
});
afterAll(async () => {
  await receiver?.close();
});

const stack = useStack({
  WEBHOOK_ALLOW_PRIVATE_URLS: true,
  WEBHOOK_RETRY_BASE_MS: 100,
  WEBHOOK_RETRY_MAX_DELAY_MS: 400,
  WEBHOOK_RETRY_WINDOW_MS: 1500,
  WEBHOOK_TIMEOUT_MS: 1000,
  WEBHOOK_SWEEP_INTERVAL_MS: 200,
  WEBHOOK_MAX_ENDPOINTS: 16,
});
beforeAll(async () => {
  other = await createApp(stack.url);
});

const basic = (a = stack.app): [string, string] => [a.appid, a.secret];

/** A receiver's check, written out: t within 5 minutes, some v1 = HMAC-SHA256(secret, "t.body"). */
function receiverVerifies(secret: string, header: string | undefined, raw: string): boolean {
  if (!header) return false;
  const fields = header.split(',').map((kv) => kv.split('='));
  const t = Number(fields.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
  return fields.some(([k, v]) => k === 'v1' && v === expected);
}

async function endpoint(
  path: string,
  events: string[],
  extra: Record<string, unknown> = {},
  a = stack.app,
): Promise<{ endpointId: string; secret: string }> {
  const r = await call(stack.url, 'POST', `/v1/apps/${a.appid}/webhooks`, { basic: basic(a), body: { url: `${base}${path}`, events, ...extra } });
  expect(r.status).toBe(201);
  return r.body;
}

const publish = (name: DomainEventName, data: Record<string, unknown>, orderKey?: string, a = stack.app) =>
  stack.srv.app.core.events.publish(a.appid, name, data, orderKey !== undefined ? { orderKey } : {});
const at = (path: string) => received.filter((r) => r.path === path);
const delivered = (path: string) => at(path).filter((r) => r.status < 300);

describe('registration', () => {
  it('creates an endpoint with a secret shown once; lists, reads, updates, rotates and deletes it', async () => {
    const created = await call(stack.url, 'POST', `/v1/apps/${stack.app.appid}/webhooks`, {
      basic: basic(),
      body: { url: `${base}/reg`, events: ['room.started', 'charge.ended'], description: 'backend' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      endpointId: expect.stringMatching(/^ep_[a-f0-9]{16}$/),
      url: `${base}/reg`,
      events: ['room.started', 'charge.ended'],
      enabled: true,
      description: 'backend',
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
    });
    const id = created.body.endpointId;
    const list = await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks`, { basic: basic() });
    expect(list.body.endpoints.find((e: { endpointId: string }) => e.endpointId === id)).toEqual({ ...created.body, secret: undefined });
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    expect((await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/${id}`, { token: ADMIN_TOKEN })).body).not.toHaveProperty('secret');

    const patched = await call(stack.url, 'PATCH', `/v1/apps/${stack.app.appid}/webhooks/${id}`, {
      basic: basic(),
      body: { events: ['*'], enabled: false },
    });
    expect(patched.body).toMatchObject({ endpointId: id, events: ['*'], enabled: false, url: `${base}/reg` });
    const rotated = await call(stack.url, 'POST', `/v1/apps/${stack.app.appid}/webhooks/${id}/secret`, { basic: basic(), body: {} });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(rotated.body).not.toHaveProperty('previousSecretUntil');

    expect((await call(stack.url, 'DELETE', `/v1/apps/${stack.app.appid}/webhooks/${id}`, { basic: basic() })).status).toBe(204);
    expect((await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/${id}`, { basic: basic() })).body.error.code).toBe(
      'WEBHOOK_NOT_FOUND',
    );
    expect((await call(stack.url, 'DELETE', `/v1/apps/${stack.app.appid}/webhooks/${id}`, { basic: basic() })).body.error.code).toBe(
      'WEBHOOK_NOT_FOUND',
    );
  });

  it('refuses invalid bodies naming the field, and more endpoints than WEBHOOK_MAX_ENDPOINTS', async () => {
    const post = (body: unknown) => call(stack.url, 'POST', `/v1/apps/${stack.app.appid}/webhooks`, { basic: basic(), body });
    const cases: Array<[unknown, RegExp]> = [
      [{ url: 'ftp://example.com/x', events: ['room.started'] }, /url/],
      [{ events: ['room.started'] }, /url/],
      [{ url: `${base}/x`, events: [] }, /events/],
      [{ url: `${base}/x`, events: ['room.exploded'] }, /events/],
      [{ url: `${base}/x`, events: ['room.started', 'room.started'] }, /events/],
      [{ url: `${base}/x`, events: ['room.started'], secret: 'mine' }, /secret/],
      [{ url: 'http://user:pw@example.com/x', events: ['room.started'] }, /url: must not carry a user or password/],
      [{ url: 'http://exa mple.com/x', events: ['room.started'] }, /url/],
    ];
    for (const [body, message] of cases) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.message).toMatch(message);
    }
    const patch = await call(stack.url, 'PATCH', `/v1/apps/${stack.app.appid}/webhooks/ep_0000000000000000`, { basic: basic(), body: {} });
    expect(patch.status).toBe(400);
    expect(
      (await call(stack.url, 'PATCH', `/v1/apps/${stack.app.appid}/webhooks/ep_0000000000000000`, { basic: basic(), body: { enabled: true } })).body
        .error.code,
    ).toBe('WEBHOOK_NOT_FOUND');
    expect((await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/nope`, { basic: basic() })).status).toBe(400);

    // With WEBHOOK_ALLOW_PRIVATE_URLS off (the default), loopback and private targets are refused at registration.
    const strict = createWebhooksService(
      { ...stack.srv.app.core, config: { ...stack.srv.config, WEBHOOK_ALLOW_PRIVATE_URLS: false } },
      { accounts: stack.srv.app.services.accounts },
    );
    for (const url of [`${base}/x`, 'http://localhost:8080/x', 'http://169.254.169.254/latest', 'https://[::1]/x', 'http://10.0.0.7/x']) {
      await expect(strict.createEndpoint(stack.app.appid, { url, events: ['*'] }), url).rejects.toMatchObject({
        code: 'WEBHOOK_URL_NOT_ALLOWED',
        status: 422,
      });
    }

    // A fresh app fills its quota (16 in this config), the next is refused.
    const quota = await createApp(stack.url);
    for (let i = 0; i < 16; i++)
      expect(
        (await call(stack.url, 'POST', `/v1/apps/${quota.appid}/webhooks`, { basic: basic(quota), body: { url: `${base}/q${i}`, events: ['*'] } }))
          .status,
      ).toBe(201);
    const over = await call(stack.url, 'POST', `/v1/apps/${quota.appid}/webhooks`, {
      basic: basic(quota),
      body: { url: `${base}/q9`, events: ['*'] },
    });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('WEBHOOK_LIMIT');
  });

  it('keeps tenants apart: another app cannot see or change the endpoints, and its events never reach them', async () => {
    const ep = await endpoint('/tenant-a', ['*']);
    const cross = [
      call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks`, { basic: basic(other) }),
      call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/${ep.endpointId}`, { basic: basic(other) }),
      call(stack.url, 'PATCH', `/v1/apps/${stack.app.appid}/webhooks/${ep.endpointId}`, { basic: basic(other), body: { enabled: false } }),
      call(stack.url, 'POST', `/v1/apps/${stack.app.appid}/webhooks/${ep.endpointId}/secret`, { basic: basic(other), body: {} }),
      call(stack.url, 'DELETE', `/v1/apps/${stack.app.appid}/webhooks/${ep.endpointId}`, { basic: basic(other) }),
      call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/dead-letters`, { basic: basic(other) }),
      call(stack.url, 'POST', `/v1/apps/${stack.app.appid}/webhooks`, { basic: basic(other), body: { url: `${base}/evil`, events: ['*'] } }),
    ];
    for (const r of await Promise.all(cross)) expect(r.body.error.code).toBe('CROSS_TENANT');
    // Its own listing does not show app A's endpoint; the same id under its own appid is unknown.
    expect((await call(stack.url, 'GET', `/v1/apps/${other.appid}/webhooks`, { basic: basic(other) })).body.endpoints).toEqual([]);
    expect((await call(stack.url, 'GET', `/v1/apps/${other.appid}/webhooks/${ep.endpointId}`, { basic: basic(other) })).body.error.code).toBe(
      'WEBHOOK_NOT_FOUND',
    );
    expect((await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks`)).body.error.code).toBe('AUTH_REQUIRED');
    expect((await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks`, { basic: [stack.app.appid, 'wrong'] })).status).toBe(401);
    expect(
      (await call(stack.url, 'POST', '/v1/apps/no-such-app/webhooks', { token: ADMIN_TOKEN, body: { url: `${base}/x`, events: ['*'] } })).body.error
        .code,
    ).toBe('APP_NOT_FOUND');

    // Each app's endpoint gets its own app's event only (both were delivered before looking).
    await endpoint('/tenant-b', ['*'], {}, other);
    await publish('room.started', { roomId: 'tenant-b-room' }, 'room:tb', other);
    await publish('room.started', { roomId: 'tenant-a-room' }, 'room:ta');
    await until(() => delivered('/tenant-a').length >= 1 && delivered('/tenant-b').length >= 1, 5000, 'a delivery to each tenant');
    expect(at('/tenant-a').map((r) => [r.body.appid, r.body.data.roomId])).toEqual([[stack.app.appid, 'tenant-a-room']]);
    expect(at('/tenant-b').map((r) => [r.body.appid, r.body.data.roomId])).toEqual([[other.appid, 'tenant-b-room']]);
    await call(stack.url, 'DELETE', `/v1/apps/${stack.app.appid}/webhooks/${ep.endpointId}`, { basic: basic() });
  });
});

describe('delivery', () => {
  it('a real flow (room created, joined) arrives signed: body {id, type, time, appid, data}, event id header, valid HMAC', async () => {
    const ep = await endpoint('/flow', ['room.started', 'room.member.joined']);
    const token = await loginUser(stack.url, stack.app.appid, 'wh-host');
    const room = await call(stack.url, 'POST', '/v1/rooms', { token, body: {} });
    const roomId = room.body.roomId as string;
    expect((await call(stack.url, 'POST', `/v1/rooms/${roomId}/join`, { token })).status).toBe(200);
    await until(() => delivered('/flow').length >= 2, 5000, 'two deliveries');
    const [started, joined] = at('/flow');
    expect(started!.body).toEqual({
      id: expect.any(String),
      type: 'room.started',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      appid: stack.app.appid,
      data: { roomId, kind: 'room', host: 'wh-host' },
    });
    expect(joined!.body).toMatchObject({ type: 'room.member.joined', data: { roomId, uid: 'wh-host', role: 'host', memsize: 1 } });
    for (const r of [started!, joined!]) {
      expect(receiverVerifies(ep.secret, r.headers['x-switchboard-signature'] as string, r.raw)).toBe(true);
      expect(receiverVerifies('whsec_wrong', r.headers['x-switchboard-signature'] as string, r.raw)).toBe(false);
      expect(receiverVerifies(ep.secret, r.headers['x-switchboard-signature'] as string, r.raw.replace('wh-host', 'wh-hosx'))).toBe(false);
      expect(r.headers['x-switchboard-event-id']).toBe(r.body.id);
      expect(r.headers['x-switchboard-event-type']).toBe(r.body.type);
      expect(r.headers['x-switchboard-delivery-attempt']).toBe('1');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-switchboard-signature']).toMatch(new RegExp(`^t=${r.headers['x-switchboard-timestamp']},v1=[0-9a-f]{64}$`));
    }
    expect(started!.body.id).not.toBe(joined!.body.id);
  });

  it('only subscribed events reach an endpoint; a disabled endpoint gets nothing', async () => {
    await endpoint('/only-ended', ['room.ended']);
    await endpoint('/all', ['*']);
    await endpoint('/off', ['*'], { enabled: false });
    await publish('room.started', { roomId: 'f1' }, 'room:f1');
    await publish('room.member.joined', { roomId: 'f1', uid: 'u' }, 'room:f1');
    await publish('room.ended', { roomId: 'f1' }, 'room:f1');
    await until(() => delivered('/all').length >= 3 && delivered('/only-ended').length >= 1, 5000, 'deliveries');
    expect(at('/all').map((r) => r.body.type)).toEqual(['room.started', 'room.member.joined', 'room.ended']);
    expect(at('/only-ended').map((r) => r.body.type)).toEqual(['room.ended']);
    expect(at('/off')).toEqual([]);
  });

  it('retries a failing endpoint with backoff until it answers 2xx: same event id, attempt header counting up, each signed', async () => {
    behaviour.set('/flaky', (_id, n) => (n <= 2 ? 503 : 204));
    const ep = await endpoint('/flaky', ['charge.ended']);
    await publish('charge.ended', { callId: 'c-flaky', amount: 300 }, 'c-flaky');
    await until(() => delivered('/flaky').length === 1, 5000, 'the third attempt');
    const tries = at('/flaky');
    expect(tries.map((r) => [r.status, r.headers['x-switchboard-delivery-attempt']])).toEqual([
      [503, '1'],
      [503, '2'],
      [204, '3'],
    ]);
    expect(new Set(tries.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(tries.map((r) => r.raw)).size).toBe(1);
    for (const r of tries) expect(receiverVerifies(ep.secret, r.headers['x-switchboard-signature'] as string, r.raw)).toBe(true);
    const dead = await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/dead-letters`, { basic: basic() });
    expect(dead.body.deadLetters.filter((d: DeadLetter) => d.endpointId === ep.endpointId)).toEqual([]);
  });

  it('dead-letters a delivery after the retry window; replay delivers it with the same event id and body', async () => {
    let up = false;
    behaviour.set('/down', () => (up ? 200 : 500));
    const ep = await endpoint('/down', ['recording.ready']);
    await publish('recording.ready', { roomId: '77', playbackUrl: 'http://vod/77.m3u8' }, 'room:77');
    let deadLetter: DeadLetter | undefined;
    await until(
      async () => {
        const r = await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/dead-letters`, { basic: basic() });
        deadLetter = r.body.deadLetters.find((d: DeadLetter) => d.endpointId === ep.endpointId);
        return deadLetter !== undefined;
      },
      8000,
      'the dead letter',
    );
    const failed = at('/down');
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed.every((r) => r.status === 500)).toBe(true);
    const eventId = failed[0]!.body.id;
    expect(deadLetter).toMatchObject({
      deliveryId: `${ep.endpointId}.${eventId}`,
      eventId,
      type: 'recording.ready',
      state: 'dead',
      attempts: failed.length,
      lastStatus: 500,
      lastError: 'HTTP 500',
      replays: 0,
      orderKey: 'room:77',
      deadAt: expect.any(Number),
      body: { id: eventId, type: 'recording.ready', appid: stack.app.appid, data: { roomId: '77', playbackUrl: 'http://vod/77.m3u8' } },
    });

    // Only the app (or the admin) replays; an unknown id is 404, a pending one 409 (below).
    const path = `/v1/apps/${stack.app.appid}/webhooks/dead-letters/${deadLetter!.deliveryId}/replay`;
    expect((await call(stack.url, 'POST', path, { basic: basic(other) })).body.error.code).toBe('CROSS_TENANT');
    expect(
      (await call(stack.url, 'POST', `/v1/apps/${stack.app.appid}/webhooks/dead-letters/${ep.endpointId}.nope/replay`, { basic: basic() })).body.error
        .code,
    ).toBe('DELIVERY_NOT_FOUND');
    up = true;
    const replay = await call(stack.url, 'POST', path, { basic: basic() });
    expect(replay.body).toEqual({ deliveryId: deadLetter!.deliveryId, eventId, state: 'pending', queued: 'sending' });
    await until(() => delivered('/down').length === 1, 5000, 'the replayed delivery');
    const ok = delivered('/down')[0]!;
    expect(ok.body.id).toBe(eventId);
    expect(ok.raw).toBe(failed[0]!.raw);
    expect(ok.headers['x-switchboard-delivery-attempt']).toBe('1');
    expect(receiverVerifies(ep.secret, ok.headers['x-switchboard-signature'] as string, ok.raw)).toBe(true);
    const after = await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/dead-letters`, { basic: basic() });
    expect(after.body.deadLetters.find((d: DeadLetter) => d.deliveryId === deadLetter!.deliveryId)).toBeUndefined();
    const again = await call(stack.url, 'POST', path, { token: ADMIN_TOKEN });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DELIVERY_NOT_DEAD');
  });

  it('a lane behind a delivery that failed for the whole window drains: the ones waiting get one attempt each', async () => {
    behaviour.set('/drain', () => 502);
    const ep = await endpoint('/drain', ['charge.ticked']);
    await publish('charge.ticked', { callId: 'c-drain', seq: 1 }, 'c-drain');
    // Two more in the same lane whose window is over by the time they reach its head (published
    // "2 s ago" against the 1.5 s window): they must not get a window of their own.
    for (const seq of [2, 3]) {
      await stack.srv.app.services.webhooks.fanout({
        id: `drain-${seq}-${Date.now()}`,
        appid: stack.app.appid,
        name: 'charge.ticked',
        data: { callId: 'c-drain', seq },
        orderKey: 'c-drain',
        at: Date.now() - 2000,
      });
    }
    const dead = async () =>
      (await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/dead-letters?limit=200`, { basic: basic() })).body.deadLetters.filter(
        (d: DeadLetter) => d.endpointId === ep.endpointId,
      );
    await until(async () => (await dead()).length === 3, 8000, 'three dead letters');
    const attemptsPerSeq = [1, 2, 3].map((seq) => at('/drain').filter((r) => r.body.data.seq === seq).length);
    expect(attemptsPerSeq[0]).toBeGreaterThanOrEqual(2);
    expect(attemptsPerSeq.slice(1)).toEqual([1, 1]);
    // In order: every attempt of the first before the others' single attempts.
    expect(at('/drain').map((r) => r.body.data.seq)).toEqual([...Array(attemptsPerSeq[0]).fill(1), 2, 3]);
  });

  it('pages through the dead letters newest first without skipping or repeating', async () => {
    behaviour.set('/never', () => 500);
    const ep = await endpoint('/never', ['conversation.ended']);
    for (let i = 0; i < 3; i++) await publish('conversation.ended', { conversationId: `never-${i}` }, `never-${i}`);
    const mine = async (q: string) => {
      const r = await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/dead-letters${q}`, { basic: basic() });
      expect(r.status).toBe(200);
      return r.body as { deadLetters: Array<{ endpointId: string; deliveryId: string; deadAt: number }>; next?: number };
    };
    await until(
      async () => (await mine('?limit=200')).deadLetters.filter((d) => d.endpointId === ep.endpointId).length === 3,
      8000,
      'three dead letters',
    );
    const all = (await mine('?limit=200')).deadLetters;
    const seen: string[] = [];
    let page = await mine('?limit=1');
    for (;;) {
      seen.push(...page.deadLetters.map((d) => d.deliveryId));
      if (page.next === undefined) break;
      page = await mine(`?limit=1&before=${page.next}`);
    }
    expect(seen).toEqual(all.map((d) => d.deliveryId));
    expect(all.map((d) => d.deadAt)).toEqual([...all.map((d) => d.deadAt)].sort((x, y) => y - x));
    const bad = await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/dead-letters?limit=0`, { basic: basic() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/limit/);
  });

  it('keeps per-room order while an earlier delivery retries; other rooms are not held back', async () => {
    let firstId = '';
    await endpoint('/order', ['room.member.joined', 'room.member.left']);
    const room = `room:ord-${Date.now()}`;
    // The first event's id is only known once published: the receiver reads it from the first request.
    behaviour.set('/order', (id, n) => {
      if (!firstId) firstId = id;
      return id === firstId && n <= 2 ? 500 : 200;
    });
    await publish('room.member.joined', { roomId: 'ord', uid: 'u1' }, room);
    await publish('room.member.joined', { roomId: 'ord', uid: 'u2' }, room);
    await publish('room.member.left', { roomId: 'ord', uid: 'u1' }, room);
    await publish('room.member.joined', { roomId: 'elsewhere', uid: 'u9' }, 'room:elsewhere');
    await until(() => delivered('/order').length === 4, 8000, 'four deliveries');
    const log = at('/order').map((r) => `${r.body.data.roomId}/${r.body.data.uid}/${r.status}`);
    const ordRoom = log.filter((l) => l.startsWith('ord/'));
    // u1 failed twice, then everything of the room in publish order, nothing of it in between.
    expect(ordRoom).toEqual(['ord/u1/500', 'ord/u1/500', 'ord/u1/200', 'ord/u2/200', 'ord/u1/200']);
    expect(
      at('/order')
        .filter((r) => r.body.data.roomId === 'ord')
        .map((r) => r.body.type),
    ).toEqual(['room.member.joined', 'room.member.joined', 'room.member.joined', 'room.member.joined', 'room.member.left']);
    // The other room's event went through while u1 was still failing.
    expect(log.indexOf('elsewhere/u9/200')).toBeLessThan(log.indexOf('ord/u1/200'));
  });

  it('events published in the same tick go to Redis as one script, each in publish order, a repeated id once', async () => {
    await endpoint('/tick', ['room.member.joined']);
    const redis = stack.srv.app.core.redis as unknown as { evalsha(...a: unknown[]): Promise<unknown> };
    const evalsha = redis.evalsha;
    let fanoutScripts = 0;
    redis.evalsha = function (...a: unknown[]) {
      if (String(a[2]).endsWith(':wh:eps')) fanoutScripts++;
      return evalsha.apply(this, a);
    };
    const stamp = Date.now();
    try {
      const core = stack.srv.app.core;
      const one = (i: number, id = `tick-${stamp}-${i}`) =>
        core.events.publish(stack.app.appid, 'room.member.joined', { roomId: 'tick', uid: `u${i}` }, { orderKey: 'room:tick', id });
      await Promise.all([one(0), one(1), one(2), one(3), one(1, `tick-${stamp}-0`)]);
    } finally {
      redis.evalsha = evalsha;
    }
    expect(fanoutScripts).toBe(1);
    await until(() => delivered('/tick').length === 4, 8000, 'four deliveries');
    await sleep(300); // the repeated id would show up here
    expect(delivered('/tick').map((r) => r.body.data.uid)).toEqual(['u0', 'u1', 'u2', 'u3']);
  });

  it('two worker nodes, two rooms of 30 events each, some first attempts failing: each room in publish order, each event delivered once', async () => {
    // Its own deployment with a long retry window: a lane of 30 takes longer to drain than the
    // 1.5 s window of the others (whose later deliveries would rightly get one attempt only).
    const big = await startServer({
      WEBHOOK_ALLOW_PRIVATE_URLS: true,
      WEBHOOK_RETRY_BASE_MS: 100,
      WEBHOOK_RETRY_MAX_DELAY_MS: 400,
      WEBHOOK_RETRY_WINDOW_MS: 60000,
    });
    const nodes = [await startTestWorkers(big.config), await startTestWorkers(big.config)];
    try {
      const bigApp = await createApp(big.url);
      // Every third event of a room fails its first attempt.
      behaviour.set('/busy', (id, n) => (n === 1 && Number(id.split('-').pop()) % 3 === 0 ? 500 : 200));
      const r = await call(big.url, 'POST', `/v1/apps/${bigApp.appid}/webhooks`, {
        basic: basic(bigApp),
        body: { url: `${base}/busy`, events: ['room.member.joined'] },
      });
      expect(r.status).toBe(201);
      const stamp = Date.now();
      for (let i = 0; i < 30; i++) {
        for (const room of ['x', 'y']) {
          // Publishers on the api node and on a worker node in turn, one lane per room.
          const core = i % 2 === 0 ? big.app.core : nodes[1]!.core;
          await core.events.publish(
            bigApp.appid,
            'room.member.joined',
            { roomId: room, uid: `u${i}` },
            { orderKey: `room:${room}`, id: `busy-${stamp}-${room}-${i}` },
          );
        }
      }
      await until(() => delivered('/busy').length === 60, 20000, '60 deliveries');
      for (const room of ['x', 'y']) {
        const ok = delivered('/busy')
          .filter((x) => x.body.data.roomId === room)
          .map((x) => x.body.data.uid);
        expect(ok).toEqual(Array.from({ length: 30 }, (_, i) => `u${i}`));
      }
      expect(new Set(delivered('/busy').map((x) => x.body.id)).size).toBe(60);
      expect(at('/busy').filter((x) => x.status === 500)).toHaveLength(20);
    } finally {
      for (const n of nodes) await n.close();
      await big.close();
    }
  });

  it('disabling an endpoint dead-letters what it had pending (replay refused until enabled); deleting one drops its deliveries', async () => {
    let up = false;
    behaviour.set('/disable', () => (up ? 200 : 500));
    const ep = await endpoint('/disable', ['dispatch.taken']);
    await publish('dispatch.taken', { requestId: 'r-dis' }, 'r-dis');
    await until(() => at('/disable').length >= 1, 5000, 'a first failed attempt');
    expect(
      (await call(stack.url, 'PATCH', `/v1/apps/${stack.app.appid}/webhooks/${ep.endpointId}`, { basic: basic(), body: { enabled: false } })).status,
    ).toBe(200);
    let dl: DeadLetter | undefined;
    await until(
      async () => {
        dl = (await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/dead-letters`, { basic: basic() })).body.deadLetters.find(
          (d: DeadLetter) => d.endpointId === ep.endpointId,
        );
        return dl !== undefined;
      },
      5000,
      'the dead letter',
    );
    expect(dl).toMatchObject({ state: 'dead', lastError: 'endpoint disabled', body: { type: 'dispatch.taken', data: { requestId: 'r-dis' } } });
    const replayPath = `/v1/apps/${stack.app.appid}/webhooks/dead-letters/${dl!.deliveryId}/replay`;
    expect((await call(stack.url, 'POST', replayPath, { basic: basic() })).body.error.code).toBe('WEBHOOK_DISABLED');
    up = true;
    await call(stack.url, 'PATCH', `/v1/apps/${stack.app.appid}/webhooks/${ep.endpointId}`, { basic: basic(), body: { enabled: true } });
    expect((await call(stack.url, 'POST', replayPath, { basic: basic() })).body.queued).toBe('sending');
    await until(() => delivered('/disable').length === 1, 5000, 'the replayed delivery');
    expect(delivered('/disable')[0]!.body.id).toBe(dl!.eventId);

    // Deleted while its deliveries wait: the head's next attempt drops it, then the one behind it; nothing is dead-lettered.
    behaviour.set('/gone', () => 500);
    const gone = await endpoint('/gone', ['dispatch.taken']);
    await publish('dispatch.taken', { requestId: 'r-gone-1' }, 'r-gone');
    await publish('dispatch.taken', { requestId: 'r-gone-2' }, 'r-gone');
    await until(() => at('/gone').length >= 1, 5000, 'a first failed attempt');
    expect((await call(stack.url, 'DELETE', `/v1/apps/${stack.app.appid}/webhooks/${gone.endpointId}`, { basic: basic() })).status).toBe(204);
    const lane = stack.srv.app.core.keys.scoped(stack.app.appid, 'wh', 'lane', gone.endpointId, 'r-gone');
    await until(async () => (await stack.srv.app.core.redis.exists(lane)) === 0, 5000, 'the lane emptied');
    expect(at('/gone').every((r) => r.body.data.requestId === 'r-gone-1')).toBe(true);
    const dead = (await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/webhooks/dead-letters`, { basic: basic() })).body.deadLetters;
    expect(dead.filter((d: DeadLetter) => d.endpointId === gone.endpointId)).toEqual([]);
  });

  it('a rotated secret with grace: both signatures in the header until the grace ends', async () => {
    const ep = await endpoint('/rotate', ['pairing.matched']);
    const rotated = await call(stack.url, 'POST', `/v1/apps/${stack.app.appid}/webhooks/${ep.endpointId}/secret`, {
      basic: basic(),
      body: { graceSeconds: 3600 },
    });
    expect(rotated.body.previousSecretUntil).toBeGreaterThan(Date.now());
    await publish('pairing.matched', { askNo: '1', callId: 'pc-1' }, 'pc-1');
    await until(() => delivered('/rotate').length === 1, 5000, 'delivery');
    const r = at('/rotate')[0]!;
    const header = r.headers['x-switchboard-signature'] as string;
    expect(header.split(',').filter((p) => p.startsWith('v1='))).toHaveLength(2);
    expect(receiverVerifies(rotated.body.secret, header, r.raw)).toBe(true);
    expect(receiverVerifies(ep.secret, header, r.raw)).toBe(true);
  });

  it('a delivery whose job was lost (process died after the script) is sent by the recovery sweep', async () => {
    await endpoint('/lost', ['dispatch.expired']);
    // The same service on a core whose enqueue never happens: the fan-out script ran, the job was never added.
    const crashed = createWebhooksService(
      { ...stack.srv.app.core, queues: { ...stack.srv.app.core.queues, add: async () => '' } },
      { accounts: stack.srv.app.services.accounts },
    );
    const event = {
      id: `lost-${Date.now()}`,
      appid: stack.app.appid,
      name: 'dispatch.expired' as const,
      data: { requestId: 'r-lost' },
      orderKey: 'r-lost',
      at: Date.now(),
    };
    await crashed.fanout(event);
    await until(() => delivered('/lost').length === 1, 8000, 'the recovered delivery');
    expect(at('/lost').map((r) => r.body)).toEqual([
      { id: event.id, type: 'dispatch.expired', time: new Date(event.at).toISOString(), appid: stack.app.appid, data: { requestId: 'r-lost' } },
    ]);
    // Publishing the same event id again (a publisher's retry) sends nothing new.
    await stack.srv.app.services.webhooks.fanout(event);
    await publish('dispatch.expired', { requestId: 'r-next' }, 'r-next');
    await until(() => delivered('/lost').length === 2, 5000, 'the next event');
    expect(at('/lost').map((r) => r.body.data.requestId)).toEqual(['r-lost', 'r-next']);
  });
});
