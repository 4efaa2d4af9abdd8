// Shared test plumbing: a real api node on port 0, real workers, real socket clients,
// all against the throwaway redis-server of test/setup/redis.ts; local fake HTTP servers.
// Importing this file starts nothing (unit tests may use listenLocal and fakeHttp).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Static, TSchema } from 'typebox';
import { afterAll, beforeAll, inject } from 'vitest';
import { io as ioc, type Socket } from 'socket.io-client';
import { buildApp, type SwitchboardApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { startWorkers, type WorkerNode } from '../workers/runtime.js';
import {
  dashboardServerEvents,
  serverEvents,
  type DashboardEventMap,
  type DashboardServerEventName,
  type ServerEventName,
  type ServerPayload,
} from '../src/realtime/catalogue.js';
import type { AckResult, Snapshot, TypedSocket } from '../src/client/index.js';
import type { DashboardSnapshotT } from '../src/modules/dashboard/schemas.js';
import { check, describeErrors } from '../src/infra/validation.js';
import type { ErrorResponse } from '../src/infra/http.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** The pass's Redis: the Cluster of the cluster pass (test/setup/cluster.ts), else the single redis-server. */
export function redisOf(): Pick<Config, 'REDIS_URL'> | Pick<Config, 'REDIS_CLUSTER_NODES'> {
  const cluster = inject('redisCluster');
  return cluster ? { REDIS_CLUSTER_NODES: cluster } : { REDIS_URL: inject('redisUrl') };
}

/** Whether this is the cluster pass. */
export const onCluster = (): boolean => Boolean(inject('redisCluster'));

/** A config on the test Redis with its own key and queue prefixes, so test files never meet. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const tag = randomBytes(3).toString('hex');
  return loadConfig(
    {},
    {
      ...redisOf(),
      HOST: '127.0.0.1',
      PORT: 0,
      LOG_LEVEL: 'silent',
      ADMIN_TOKEN,
      KEY_PREFIX: `t${tag}`,
      QUEUE_PREFIX: `q${tag}`,
      PASSWORD_SCRYPT_N: 1024,
      ...overrides,
    },
  );
}

export interface TestServer {
  app: SwitchboardApp;
  url: string;
  config: Config;
  close(): Promise<void>;
}

export async function startServer(overrides: Partial<Config> = {}, config = testConfig(overrides)): Promise<TestServer> {
  const app = await buildApp(config);
  const url = await app.listen();
  return { app, url, config, close: () => app.close() };
}

export async function startTestWorkers(config: Config): Promise<WorkerNode> {
  return startWorkers(config, { log: (await import('../src/infra/logger.js')).createLogger('silent', 'worker') });
}

/** Something a test opens for useStack to close after the tests: a socket, or a stand-in with close(). */
export interface Closable {
  close(): unknown;
}

/**
 * What useStack started. The fields are getters, filled by its beforeAll: read them inside
 * tests, hooks and the functions they call, not at module level (they throw until then).
 */
export interface Stack {
  readonly srv: TestServer;
  /** srv.url. */
  readonly url: string;
  /** The worker node (an error on a stack started with `workers: false`). */
  readonly workers: WorkerNode;
  /** The app created for the file (an error on a stack started with `app: false`). */
  readonly app: { appid: string; secret: string };
  /** Has `closable` closed after the tests, before the workers and the server stop; returns it. */
  track<C extends Closable>(closable: C): C;
}

export interface StackOptions {
  /** Start a worker node on the server's config (default true). */
  workers?: boolean;
  /** The body of the app created after the start (default `{}`), or false for no app. */
  app?: Record<string, unknown> | false;
}

/**
 * Starts, for the file (or the describe) it is called in, what most integration tests run
 * against: an api node with `overrides`, a worker node on its config, an app; and stops it
 * after the tests: the tracked sockets, then the workers, then the server. One definition
 * instead of the same beforeAll/afterAll block copied into each file. `overrides` may be a
 * function, read in beforeAll, when it names something the file starts first (a fake's URL).
 * The file's own set-up and clean-up go in its own hooks: with vitest's hook order (stack),
 * a beforeAll written after this call runs after the start, an afterAll written after it runs
 * before the stop, and one written before it runs after the stop.
 */
export function useStack(overrides: Partial<Config> | (() => Partial<Config>) = {}, opts: StackOptions = {}): Stack {
  let srv: TestServer | undefined;
  let workers: WorkerNode | undefined;
  let app: { appid: string; secret: string } | undefined;
  const open: Closable[] = [];
  beforeAll(async () => {
    srv = await startServer(typeof overrides === 'function' ? overrides() : overrides);
    if (opts.workers !== false) workers = await startTestWorkers(srv.config);
    if (opts.app !== false) app = await createApp(srv.url, opts.app);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await workers?.close();
    await srv?.close();
  });
  const got = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useStack: no ${what} (read before beforeAll ran, or not asked for)`);
    return value;
  };
  return {
    get srv() {
      return got(srv, 'server');
    },
    get url() {
      return got(srv, 'server').url;
    },
    get workers() {
      return got(workers, 'workers');
    },
    get app() {
      return got(app, 'app');
    },
    track(closable) {
      open.push(closable);
      return closable;
    },
  };
}

/**
 * An HTTP answer's body as most tests read it: free-form per route (hundreds of reads, each
 * checked by the test's own expect()), so deliberately loose. Name the shape instead where it
 * helps: `call<{ token: string }>(…)`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one loose JSON type of the tests (see above)
export type JsonBody = any;

/** Every HTTP error answer's body, `{ error: { code, message } }`: for a refusal read with fetch, or `call<HttpError>(…)`. */
export type HttpError = Static<typeof ErrorResponse>;

/** fetch wrapper returning status and parsed JSON. A body is sent as JSON unless the caller's headers name a content-type. */
export async function call<B = JsonBody>(
  url: string,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; basic?: [string, string]; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: B; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.basic) headers.authorization = `Basic ${Buffer.from(opts.basic.join(':')).toString('base64')}`;
  const res = await fetch(url + path, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  // Not validated: the caller names the shape it expects and asserts it.
  return { status: res.status, body: json as B, headers: res.headers };
}

/** Creates an app through the admin API; returns its credentials. */
export async function createApp(url: string, body: Record<string, unknown> = {}): Promise<{ appid: string; secret: string }> {
  const r = await call<{ appid: string; secret: string }>(url, 'POST', '/v1/apps', { token: ADMIN_TOKEN, body });
  if (r.status !== 201) throw new Error(`createApp: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Registers and logs in a user; returns the token. */
export async function loginUser(url: string, appid: string, id: string, extra: Record<string, unknown> = {}): Promise<string> {
  const reg = await call(url, 'POST', '/v1/auth/register', { body: { appid, id, password: 'pw-' + id, ...extra } });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  const r = await call<{ token: string }>(url, 'POST', '/v1/auth/login', { body: { appid, id, password: 'pw-' + id } });
  if (r.status !== 200) throw new Error(`login: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

/** A session issued by the app's backend (POST /v1/apps/:appid/tokens, app Basic auth); returns the token. */
export async function issueToken(
  url: string,
  app: { appid: string; secret: string },
  uid: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const r = await call<{ token: string }>(url, 'POST', `/v1/apps/${app.appid}/tokens`, { basic: [app.appid, app.secret], body: { uid, ...body } });
  if (r.status !== 200) throw new Error(`issueToken: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

/** The untyped view of a socket, for event names outside the catalogue (an app's own events, sent through notify). */
export const untyped = (socket: Socket | TypedSocket): Socket => socket as Socket;

/**
 * Every server event a test socket receives is checked against its catalogue schema: the
 * catalogue (and the AsyncAPI document built from it) must say what is really sent. A
 * mismatch is thrown from the listener, which fails the test run. Names the catalogue
 * does not know (an app's own notify events) pass.
 */
export function checkServerEvents(socket: Socket | TypedSocket, catalogue: Record<string, TSchema> = serverEvents): void {
  untyped(socket).onAny((event: string, payload: unknown) => {
    const schema = catalogue[event];
    if (!schema || check(schema, payload)) return;
    throw new Error(
      `server event ${event} does not match its catalogue schema: ${describeErrors(schema, payload).join('; ')}: ${JSON.stringify(payload)}`,
    );
  });
}

/**
 * The first session.snapshot as tests read it: the gateway's fields typed, the features'
 * parts (rooms, offers, calls, balance …, declared by no schema) read as the test expects.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parts are free-form per feature
export type TestSnapshot = Snapshot & Record<string, any>;

/** Connects a socket (typed by the catalogue) and resolves with it and its first session.snapshot. */
export function connect(
  url: string,
  token: string | undefined,
  opts: Record<string, unknown> = {},
): Promise<{ socket: TypedSocket; snapshot: TestSnapshot }> {
  return new Promise((resolve, reject) => {
    const socket: TypedSocket = ioc(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(token !== undefined ? { auth: { token } } : {}),
      ...opts,
    });
    checkServerEvents(socket);
    socket.once('session.snapshot', (snapshot) => resolve({ socket, snapshot }));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Connects to the /dashboard namespace; resolves with the socket and its first dashboard.snapshot, rejects with the connect_error. */
export function connectDashboard(
  url: string,
  auth: Record<string, unknown> | undefined,
  opts: Record<string, unknown> = {},
): Promise<{ socket: Socket; snapshot: DashboardSnapshotT }> {
  return new Promise((resolve, reject) => {
    const socket = ioc(`${url}/dashboard`, { transports: ['websocket'], forceNew: true, reconnection: false, ...(auth ? { auth } : {}), ...opts });
    checkServerEvents(socket, dashboardServerEvents);
    socket.once('dashboard.snapshot', (snapshot) => resolve({ socket, snapshot }));
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      socket.close();
      reject(err);
    });
  });
}

/**
 * An event's payload type by name: the main namespace's catalogue, else the dashboard's (a
 * business event with the data published with it: roomId, uid … as the event needs); an
 * app's own notify event (in no catalogue) or a Socket.IO event is what the test says it is
 * (`nextEvent<{ seq: number }>(socket, 'my.event')`).
 */
export type EventPayload<E extends string> = E extends ServerEventName
  ? ServerPayload<E>
  : E extends DashboardServerEventName
    ? DashboardEventMap[E]
    : unknown;

/** Resolves with the next `event` on `socket`, or rejects after `ms`. */
export function nextEvent<E extends string>(socket: Socket | TypedSocket, event: E, ms?: number): Promise<EventPayload<E>>;
export function nextEvent<T>(socket: Socket | TypedSocket, event: string, ms?: number): Promise<T>;
export function nextEvent(socket: Socket | TypedSocket, event: string, ms = 5000): Promise<unknown> {
  return nextEventWhere(socket, event, ANY, ms);
}
const ANY = (): boolean => true;

/**
 * The next `event` whose payload passes `match`; the ones before it are skipped. For broadcasts the
 * listener's own action also triggers: its copy may arrive after its ack, so the test names whose event it awaits.
 */
export function nextEventWhere<E extends string>(
  socket: Socket | TypedSocket,
  event: E,
  match: (payload: EventPayload<E>) => boolean,
  ms = 5000,
): Promise<EventPayload<E>> {
  return new Promise((resolve, reject) => {
    const s = untyped(socket);
    const name: string = event;
    const onEvent = (data: unknown): void => {
      const payload = data as EventPayload<E>;
      if (!match(payload)) return;
      clearTimeout(t);
      s.off(name, onEvent);
      resolve(payload);
    };
    const t = setTimeout(() => {
      s.off(name, onEvent);
      reject(new Error(`no ${match === ANY ? '' : 'matching '}${event} within ${ms} ms`));
    }, ms);
    s.on(name, onEvent);
  });
}

/** The data of an ack the test expects to succeed; a refusal throws (failing the test) with the server's code and message. */
export function okData<T>(ack: AckResult<T>): T {
  if (!ack.ok) throw new Error(`ack refused: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** The error of an ack the test expects to be refused; an ack answered ok throws (failing the test) with its data. */
export function ackError(ack: AckResult<unknown>): { code: string; message: string } {
  if (ack.ok) throw new Error(`ack not refused: ${JSON.stringify(ack.data)}`);
  return ack.error;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Collects every `event` on the socket into the returned array. */
export function collect<E extends string>(socket: Socket | TypedSocket, event: E): Array<EventPayload<E>>;
export function collect<T>(socket: Socket | TypedSocket, event: string): T[];
export function collect(socket: Socket | TypedSocket, event: string): unknown[] {
  const got: unknown[] = [];
  untyped(socket).on(event, (p: unknown) => got.push(p));
  return got;
}

/** Polls `fn` until it is true, or throws naming `what` after `ms`. */
export async function until(fn: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface Local {
  server: Server;
  /** http://127.0.0.1:port, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 and a free port; `handler` gets each request with its whole body read (utf-8). */
export async function listenLocal(handler: (req: IncomingMessage, res: ServerResponse, body: string) => unknown): Promise<Local> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface FakeRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** The raw body. */
  body: string;
}

export interface Fake extends Local {
  /** Every request, in arrival order (clear it with `requests.length = 0`). */
  requests: FakeRequest[];
}

/**
 * A fake JSON API on listenLocal: records every request and answers `json` with `status`
 * (200 unless given). `answer` gets the body parsed as JSON (null when empty, the raw text
 * when it is not JSON), the request and the raw body. `B` names the body the fake expects
 * (`fakeHttp<{ q: string[] }>(…)`); it is not validated.
 */
export async function fakeHttp<B = unknown>(
  answer: (body: B, req: IncomingMessage, raw: string) => { status?: number; json: unknown },
): Promise<Fake> {
  const requests: FakeRequest[] = [];
  const local = await listenLocal((req, res, raw) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: raw });
    let body: unknown = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const a = answer(body as B, req, raw);
    res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(a.json));
  });
  return { ...local, requests };
}
