// The Socket.IO gateway: handshake authentication, origin allowlist, per-socket rate
// limit, validation of every client event against the catalogue, acks, snapshots.
import type { Server, Socket } from 'socket.io';
import type { Config } from '../config.js';
import { allowedOrigins, originAllowed } from '../config.js';
import type { Core } from '../infra/core.js';
import { socketRooms, tellAndClose } from '../infra/emitter.js';
import { AppError, toPublicError } from '../infra/errors.js';
import { parse } from '../infra/validation.js';
import type { Services } from '../services.js';
import { clientEvents, type ClientEventName, type ClientRequest, type ClientResponse } from './catalogue.js';

/** What the gateway keeps per socket (socket.data). Small on purpose: it is paid per connection. */
export interface SocketData {
  appid: string;
  uid: string;
  tokenHash: string;
  expiresAt: number;
  /** token bucket: tokens left, last refill (ms), rate-limited events since the bucket was last full */
  bucket: [number, number, number];
}

export interface SocketContext {
  appid: string;
  uid: string;
  socket: Socket;
  services: Services;
  core: Core;
}

type Handler<E extends ClientEventName> = (ctx: SocketContext, payload: ClientRequest<E>) => Promise<ClientResponse<E>>;
type SnapshotContributor = (ctx: SocketContext) => Promise<unknown>;
type DisconnectListener = (ctx: SocketContext, reason: string) => Promise<void>;

export interface Gateway {
  handle<E extends ClientEventName>(event: E, handler: Handler<E>): void;
  /** Features add their pending state to `session.snapshot` under `name`. */
  contributeSnapshot(name: string, fn: SnapshotContributor): void;
  /** Features hear a socket closing (presence: an agent's grace period starts). */
  onDisconnect(fn: DisconnectListener): void;
  snapshot(ctx: SocketContext, recovered?: boolean): Promise<Record<string, unknown>>;
  stop(): void;
  /** Resolves once every disconnect listener started so far has finished (shutdown waits for it before Redis closes). */
  settled(): Promise<void>;
}

/** Token bucket of one socket (SocketData.bucket, updated in place); true when the event may proceed. */
export function takeToken(b: [number, number, number], now: number, config: Pick<Config, 'SOCKET_RATE_PER_SECOND' | 'SOCKET_RATE_BURST'>): boolean {
  const refill = ((now - b[1]) / 1000) * config.SOCKET_RATE_PER_SECOND;
  b[0] = Math.min(config.SOCKET_RATE_BURST, b[0] + refill);
  b[1] = now;
  if (b[0] >= config.SOCKET_RATE_BURST) b[2] = 0; // calm again: forget past strikes
  if (b[0] >= 1) {
    b[0] -= 1;
    return true;
  }
  b[2] += 1;
  return false;
}

/** A handshake refusal whose `data` is the public error body (the client's connect_error). */
/** A handshake's Origin header, when sent, must be allowed (CORS_ORIGINS): else ORIGIN_NOT_ALLOWED. */
export function checkOrigin(origins: true | string[], origin: string | undefined): void {
  if (origin && !originAllowed(origins, origin)) throw new AppError('ORIGIN_NOT_ALLOWED', `origin ${origin} is not allowed`);
}

export function connectError(err: unknown): Error {
  const { body } = toPublicError(err);
  return Object.assign(new Error(body.message), { data: body });
}

export function attachGateway(io: Server, core: Core, services: Services): Gateway {
  const { config, log } = core;
  const handlers = new Map<string, Handler<ClientEventName>>();
  const contributors = new Map<string, SnapshotContributor>();
  const disconnectListeners: DisconnectListener[] = [];
  // Listeners still writing (presence, web IM, pairing): shutdown waits for them before Redis closes.
  const pendingDisconnects = new Set<Promise<void>>();
  const origins = allowedOrigins(config);

  io.use(async (socket, next) => {
    try {
      checkOrigin(origins, socket.handshake.headers.origin);
      const auth = socket.handshake.auth as { token?: unknown } | undefined;
      const header = socket.handshake.headers.authorization;
      const token = typeof auth?.token === 'string' ? auth.token : header?.startsWith('Bearer ') ? header.slice(7) : undefined;
      if (!token) throw new AppError('AUTH_REQUIRED', 'pass the login token as auth: { token }');
      const s = await services.accounts.authenticate(token);
      const data: SocketData = { appid: s.appid, uid: s.uid, tokenHash: s.tokenHash, expiresAt: s.expiresAt, bucket: [config.SOCKET_RATE_BURST, Date.now(), 0] };
      socket.data = data;
      next();
    } catch (err) {
      if (!(err instanceof AppError)) log.error({ err }, 'socket handshake failed');
      next(connectError(err));
    }
  });

  io.on('connection', (socket) => {
    const data = socket.data as SocketData;
    void socket.join(socketRooms.user(data.appid, data.uid));
    const ctx: SocketContext = { appid: data.appid, uid: data.uid, socket, services, core };
    socket.onAny((event: string, ...args: unknown[]) => void dispatch(ctx, event, args));
    socket.on('disconnect', (reason) => {
      for (const fn of disconnectListeners) {
        const done = fn(ctx, reason).catch((err: unknown) => log.error({ err, uid: data.uid }, 'disconnect listener failed'));
        pendingDisconnects.add(done);
        void done.finally(() => pendingDisconnects.delete(done));
      }
    });
    gateway
      .snapshot(ctx, socket.recovered)
      .then((snap) => {
        core.metrics.socketEventOut('session.snapshot', 'socket');
        socket.emit('session.snapshot', snap);
      })
      .catch((err: unknown) => log.error({ err, uid: data.uid }, 'snapshot failed'));
  });

  const take = (data: SocketData, now: number) => takeToken(data.bucket, now, config);

  async function dispatch(ctx: SocketContext, event: string, args: unknown[]): Promise<void> {
    const socket = ctx.socket;
    const data = socket.data as SocketData;
    core.metrics.socketEventIn(event);
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (r: unknown) => void) : undefined;
    const fail = (err: unknown) => {
      const { body } = toPublicError(err);
      if (ack) ack({ ok: false, error: body });
      else socket.emit('session.error', { event, ...body });
    };
    const now = Date.now();
    if (!take(data, now)) {
      fail(new AppError('RATE_LIMITED', `more than ${config.SOCKET_RATE_PER_SECOND} events/s`));
      if (data.bucket[2] >= config.SOCKET_FLOOD_STRIKES) {
        log.warn({ appid: data.appid, uid: data.uid }, 'socket flood: disconnecting');
        tellAndClose(socket, 'session.error', { event, code: 'RATE_LIMITED', message: 'flood: disconnected' });
      }
      return;
    }
    if (data.expiresAt <= now) {
      fail(new AppError('TOKEN_EXPIRED'));
      tellAndClose(socket, 'session.revoked', { code: 'TOKEN_EXPIRED', message: 'the token has expired' });
      return;
    }
    const handler = handlers.get(event);
    if (!handler) return fail(new AppError('UNKNOWN_EVENT', `no event ${event}`));
    try {
      const def = clientEvents[event as ClientEventName];
      const payload = parse(def.request, args[0] ?? {}, `${event} payload`);
      const result = await handler(ctx, payload as never);
      ack?.({ ok: true, data: result });
    } catch (err) {
      if (!(err instanceof AppError)) log.error({ err, event, uid: data.uid }, 'socket handler failed');
      fail(err);
    }
  }

  // Sockets outliving their token are closed by one sweep per node (cheap: no timer per socket).
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const socket of io.of('/').sockets.values()) {
      const d = socket.data as SocketData;
      if (d.expiresAt <= now) {
        tellAndClose(socket, 'session.revoked', { code: 'TOKEN_EXPIRED', message: 'the token has expired' });
      }
    }
  }, 30_000);
  sweep.unref();

  const gateway: Gateway = {
    handle(event, handler) {
      handlers.set(event, handler as unknown as Handler<ClientEventName>);
    },
    contributeSnapshot(name, fn) {
      contributors.set(name, fn);
    },
    onDisconnect(fn) {
      disconnectListeners.push(fn);
    },
    stop: () => clearInterval(sweep),
    async settled() {
      await Promise.all(pendingDisconnects);
    },
    async snapshot(ctx, recovered = false) {
      const user = await services.accounts.getUser(ctx.appid, ctx.uid);
      const parts = await Promise.all([...contributors].map(async ([name, fn]) => [name, await fn(ctx)] as const));
      return { appid: ctx.appid, user, serverTime: Date.now(), recovered, ...Object.fromEntries(parts) };
    },
  };

  gateway.handle('session.ping', async (_ctx, p) => ({ ...(p.t !== undefined ? { t: p.t } : {}), serverTime: Date.now() }));
  gateway.handle('session.snapshot', async (ctx) => (await gateway.snapshot(ctx)) as ClientResponse<'session.snapshot'>);
  return gateway;
}

export function socketServerOptions(config: Config) {
  const origins = allowedOrigins(config);
  return {
    // The dashboard page loads the browser client from /socket.io/socket.io.js.
    serveClient: true,
    maxHttpBufferSize: config.SOCKET_MAX_PAYLOAD_BYTES,
    cors: { origin: origins, credentials: origins !== true },
  };
}
