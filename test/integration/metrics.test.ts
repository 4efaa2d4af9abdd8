// Prometheus metrics after real traffic: a real api node, real BullMQ workers serving their
// own /metrics over HTTP, real sockets, a real dispatch flow, a metered call and the test Redis.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMetricsAccess, serveMetrics, type MetricsListener } from '../../src/infra/metrics.js';
import { freePort } from '../../scripts/setup.mjs';
import { ADMIN_TOKEN, call, connect, issueToken, loginUser, nextEvent, startTestWorkers, until, useStack, type HttpError } from '../helpers.js';

const METRICS_TOKEN = 'metrics-token-0123456789';

// Requests nobody accepts expire after 3 s (a worker's delayed job); accepted ones take milliseconds.
// Sweep jobs of 1 s (SWEEP_JOB_MS): a completed rooms sweep shows up within the test's wait.
const stack = useStack({ METRICS_TOKEN, DISPATCH_MAX_WAIT_MS: 3000, SWEEP_JOB_MS: 1000 });
let workerMetrics: MetricsListener;

beforeAll(async () => {
  // What workers/runtime.ts does with WORKER_METRICS_PORT, on a free port.
  workerMetrics = await serveMetrics(stack.workers.core.metrics, stack.srv.config, '127.0.0.1', 0);
});
afterAll(async () => {
  await workerMetrics?.close();
});

const basic = (): [string, string] => [stack.app.appid, stack.app.secret];

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (enough of it for these tests: no escaped quotes in label values). */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

async function scrape(url = `${stack.url}/metrics`, token = METRICS_TOKEN): Promise<Sample[]> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

/** The value of the one series `name` whose labels include `labels` (undefined when absent). */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} series`);
  return found[0]?.value;
}

async function user(uid: string): Promise<{ token: string; socket: Socket }> {
  const token = await issueToken(stack.url, stack.app, uid);
  const { socket } = await connect(stack.url, token);
  stack.track(socket);
  return { token, socket };
}

describe('access to /metrics', () => {
  it('refuses without a token or with a wrong one, answers to METRICS_TOKEN and ADMIN_TOKEN', async () => {
    const none = await fetch(`${stack.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await none.json()) as HttpError).error.code).toBe('METRICS_AUTH_FAILED');
    expect((await fetch(`${stack.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect(
      (await fetch(`${stack.url}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}` } })).status,
    ).toBe(401);
    expect(value(await scrape(), 'process_cpu_user_seconds_total', { role: 'api' })).toBeGreaterThan(0);
    expect(value(await scrape(`${stack.url}/metrics`, ADMIN_TOKEN), 'nodejs_heap_size_used_bytes', { role: 'api' })).toBeGreaterThan(0);
    // The worker's listener follows the same rule.
    expect((await fetch(workerMetrics.url)).status).toBe(401);
    expect(value(await scrape(workerMetrics.url), 'process_cpu_user_seconds_total', { role: 'worker' })).toBeGreaterThan(0);
    expect((await fetch(workerMetrics.url.replace('/metrics', '/other'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(
      404,
    );
  });

  it('a worker process serves its registry on WORKER_METRICS_PORT', async () => {
    const port = await freePort();
    const second = await startTestWorkers({ ...stack.srv.config, WORKER_METRICS_PORT: port, WORKER_METRICS_HOST: '127.0.0.1' });
    try {
      expect(second.metricsUrl).toBe(`http://127.0.0.1:${port}/metrics`);
      expect((await fetch(second.metricsUrl!)).status).toBe(401);
      expect(value(await scrape(second.metricsUrl), 'nodejs_heap_size_used_bytes', { role: 'worker' })).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('is open with METRICS_PUBLIC and off (METRICS_DISABLED) when no token is configured', () => {
    expect(() => checkMetricsAccess({ METRICS_PUBLIC: true }, undefined)).not.toThrow();
    expect(() => checkMetricsAccess({ METRICS_PUBLIC: false }, 'Bearer anything-at-all-here')).toThrow(
      expect.objectContaining({ code: 'METRICS_DISABLED' }),
    );
    expect(() => checkMetricsAccess({ METRICS_PUBLIC: false, METRICS_TOKEN }, `Bearer ${METRICS_TOKEN}`)).not.toThrow();
    expect(() => checkMetricsAccess({ METRICS_PUBLIC: false, METRICS_TOKEN }, undefined)).toThrow(
      expect.objectContaining({ code: 'METRICS_AUTH_FAILED' }),
    );
  });
});

describe('families after real traffic', () => {
  it('counts connected sockets, events in by name and events out by name and target', async () => {
    const a = await user('s-a');
    const b = await user('s-b');
    let m = await scrape();
    expect(value(m, 'switchboard_sockets_connected', { namespace: '/' })).toBe(2);
    expect(value(m, 'switchboard_socket_events_out_total', { event: 'session.snapshot', target: 'socket' })).toBe(2);

    expect((await a.socket.emitWithAck('session.ping', { t: 1 })).ok).toBe(true);
    expect((await a.socket.emitWithAck('session.ping', {})).ok).toBe(true);
    expect((await b.socket.emitWithAck('no.such.event', {})).error.code).toBe('UNKNOWN_EVENT');
    // A name an app invents is pushed, but counted as "other" (bounded labels).
    const pushed = nextEvent(b.socket, 'order.shipped');
    expect(
      (await call(stack.url, 'POST', '/v1/notify', { basic: basic(), body: { to: { user: 's-b' }, event: 'order.shipped', data: { id: 1 } } }))
        .status,
    ).toBe(202);
    await pushed;

    m = await scrape();
    expect(value(m, 'switchboard_socket_events_in_total', { event: 'session.ping' })).toBe(2);
    expect(value(m, 'switchboard_socket_events_in_total', { event: 'other' })).toBe(1);
    expect(value(m, 'switchboard_socket_events_out_total', { event: 'other', target: 'user' })).toBe(1);
    expect(m.some((s) => Object.values(s.labels).some((v) => v === 'no.such.event' || v === 'order.shipped'))).toBe(false);

    b.socket.close();
    await until(
      async () => value(await scrape(), 'switchboard_sockets_connected', { namespace: '/' }) === 1,
      5000,
      'the closed socket to leave the gauge',
    );
  });

  it('observes HTTP latency by route pattern, method and status, never by raw URL', async () => {
    await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/users?limit=2`, { basic: basic() });
    await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/users/nobody`, { basic: basic() });
    await call(stack.url, 'GET', '/no/such/path');
    const m = await scrape();
    const count = (route: string, method: string, status: string) =>
      value(m, 'switchboard_http_request_duration_seconds_count', { route, method, status });
    expect(count('/v1/apps/:appid/users', 'GET', '200')).toBe(1);
    expect(count('/v1/apps/:appid/users/:uid', 'GET', '404')).toBe(1);
    expect(count('unmatched', 'GET', '404')).toBe(1);
    expect(count('/v1/apps', 'POST', '201')).toBe(1);
    expect(
      value(m, 'switchboard_http_request_duration_seconds_bucket', { route: '/v1/apps/:appid/users', method: 'GET', status: '200', le: '+Inf' }),
    ).toBe(1);
    expect(
      value(m, 'switchboard_http_request_duration_seconds_sum', { route: '/v1/apps/:appid/users', method: 'GET', status: '200' }),
    ).toBeGreaterThan(0);
    expect(m.some((s) => s.name.startsWith('switchboard_http') && (s.labels.route ?? '').includes(stack.app.appid))).toBe(false);
  });

  it('reads job counts per queue and state from Redis, and the worker observes job wait and processing time', async () => {
    const c = await user('j-c');
    const got = nextEvent(c.socket, 'job.done');
    await stack.srv.app.core.queues.add('notify', 'notify', { appid: stack.app.appid, to: { user: 'j-c' }, event: 'job.done', data: {} });
    await got;
    // A delayed job stays delayed for the whole test.
    await stack.srv.app.core.queues.add(
      'notify',
      'notify',
      { appid: stack.app.appid, to: { user: 'j-c' }, event: 'job.later', data: {} },
      { delay: 3_600_000 },
    );

    const m = await scrape();
    expect(value(m, 'switchboard_queue_jobs', { queue: 'notify', state: 'delayed' })).toBe(1);
    expect(value(m, 'switchboard_queue_jobs', { queue: 'notify', state: 'completed' })).toBe(1);
    expect(value(m, 'switchboard_queue_jobs', { queue: 'notify', state: 'failed' })).toBe(0);
    // Every queue of the catalogue is reported.
    for (const queue of ['rooms', 'media', 'billing', 'presence', 'dispatch', 'matchmaking'])
      expect(value(m, 'switchboard_queue_jobs', { queue, state: 'waiting' }), queue).toBeTypeOf('number');

    const w = await scrape(workerMetrics.url);
    expect(value(w, 'switchboard_job_duration_seconds_count', { queue: 'notify', job: 'notify', status: 'completed' })).toBe(1);
    expect(value(w, 'switchboard_job_wait_seconds_count', { queue: 'notify', job: 'notify' })).toBe(1);
    expect(value(w, 'switchboard_job_wait_seconds_bucket', { queue: 'notify', job: 'notify', le: '+Inf' })).toBe(1);
    // The worker's emit is counted where it happens.
    expect(value(w, 'switchboard_socket_events_out_total', { event: 'other', target: 'user' })).toBe(1);
    // Scheduler sweeps run on the worker too.
    await until(
      async () =>
        (value(await scrape(workerMetrics.url), 'switchboard_job_duration_seconds_count', { queue: 'rooms', job: 'sweep', status: 'completed' }) ??
          0) > 0,
      5000,
      'a rooms sweep observation',
    );
  });

  it('counts dispatch outcomes from a real flow, charges from a real metered call, pairing from a published event', async () => {
    // Dispatch: an agent accepts the offer the worker's round sent.
    const agent = await user('d-agent');
    expect((await call(stack.url, 'PUT', `/v1/apps/${stack.app.appid}/agents/d-agent`, { basic: basic(), body: { skills: ['CN>EN'] } })).status).toBe(
      200,
    );
    expect((await agent.socket.emitWithAck('presence.set', { state: 'online' })).ok).toBe(true);
    const caller = await user('d-caller');
    const offer = nextEvent(agent.socket, 'dispatch.offer');
    const req = await caller.socket.emitWithAck('dispatch.request', { skill: 'CN>EN' });
    expect(req.ok).toBe(true);
    await offer;
    expect((await agent.socket.emitWithAck('dispatch.accept', { requestId: req.data.requestId })).ok).toBe(true);

    // A metered call: unit 1 (250) debited at the start, ended over REST.
    await call(stack.url, 'PUT', '/v1/billing/prices/default', { basic: basic(), body: { unitPrice: 250, unitSeconds: 3600 } });
    await loginUser(stack.url, stack.app.appid, 'b-payer');
    await loginUser(stack.url, stack.app.appid, 'b-payee');
    expect((await call(stack.url, 'POST', '/v1/billing/topups', { basic: basic(), body: { uid: 'b-payer', amount: 1000, ref: 'm-1' } })).status).toBe(
      200,
    );
    expect(
      (await call(stack.url, 'POST', '/v1/billing/calls', { basic: basic(), body: { callId: 'mcall', payer: 'b-payer', payee: 'b-payee' } })).status,
    ).toBe(200);
    const end = await call(stack.url, 'POST', '/v1/billing/calls/mcall/end', { basic: basic(), body: {} });
    expect(end.status).toBe(200);

    await stack.srv.app.core.events.publish(stack.app.appid, 'pairing.matched', { askNo: 'a1', askUid: 'x', peerUid: 'y', callId: 'c' });

    const m = await scrape();
    expect(value(m, 'switchboard_dispatch_outcomes_total', { appid: stack.app.appid, outcome: 'taken' })).toBe(1);
    expect(value(m, 'switchboard_domain_events_total', { name: 'dispatch.taken' })).toBe(1);
    expect(value(m, 'switchboard_charge_calls_ended_total', { appid: stack.app.appid })).toBe(1);
    expect(value(m, 'switchboard_charged_minor_units_total', { appid: stack.app.appid })).toBe(250);
    expect(value(m, 'switchboard_charged_units_total', { appid: stack.app.appid })).toBe(1);
    expect(value(m, 'switchboard_pairing_outcomes_total', { appid: stack.app.appid, outcome: 'matched' })).toBe(1);
    // The offer went out from the worker (its round job), the acceptance from the api.
    expect(value(m, 'switchboard_socket_events_out_total', { event: 'dispatch.accepted', target: 'user' })).toBe(1);
    expect(value(await scrape(workerMetrics.url), 'switchboard_socket_events_out_total', { event: 'dispatch.offer', target: 'user' })).toBe(1);
  });

  it('counts an expiry where it happens: on the worker that ran the expire job', async () => {
    const caller = await user('e-caller');
    const expired = nextEvent(caller.socket, 'dispatch.expired', 10_000);
    expect((await caller.socket.emitWithAck('dispatch.request', { skill: 'XX>YY' })).ok).toBe(true);
    await expired;
    const w = await scrape(workerMetrics.url);
    expect(value(w, 'switchboard_dispatch_outcomes_total', { appid: stack.app.appid, outcome: 'expired' })).toBe(1);
    expect(value(w, 'switchboard_job_duration_seconds_count', { queue: 'dispatch', job: 'expire', status: 'completed' })).toBe(1);
    expect(value(await scrape(), 'switchboard_dispatch_outcomes_total', { appid: stack.app.appid, outcome: 'expired' })).toBeUndefined();
  });
});
