// The Socket.IO gateway: handshake authentication, origin allowlist, per-socket rate
// limit, validation of every client event against the catalogue, acks, snapshots.
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import type { Server, Socket } from 'socket.io';
import type { Config } from '../infra/config.js';
import { allowedOrigins } from '../infra/config.js';
import { lastReadOffset } from '../infra/adapter.js';
import type { Core } from '../infra/core.js';
import { socketRooms, tellAndClose } from '../infra/emitter.js';
import { AppError } from '../infra/errors.js';
import type { ProbeItem } from '../infra/sessions.js';
import type { Services } from '../services.js';
import {
  clientEvents,
  type AckResult,
  type ClientEventName,
  type ClientRequest,
  type ClientResponse,
  type ServerEventName,
  type ServerPayload,
} from './catalogue.js';
import { answer, answerError, flooding, fullBucket, rateLimited, readPayload, takeAck, takeToken, useHandshake } from './kernel.js';
import { internalized, packRoom, packSocket, trimEngineSocket } from './socket-memory.js';
import { engineIoVersion, installLeanEngine, REVIEWED_ENGINE_IO, uninstallLeanEngine } from './engine-lean.js';

/** What the gateway keeps per socket (socket.data). Small on purpose: it is paid per connection. */
export interface SocketData {
  appid: string;
  uid: string;
  tokenHash: string;
  expiresAt: number;
  /** token bucket: tokens left, last refill (ms), rate-limited events since the bucket was last full */
  bucket: [number, number, number];
  /** Set once the socket is in the registry of open sockets (infra/sessions.ts). */
  registered: boolean;
}

/** Socket.IO's typed maps of `/`, from the catalogue: what a handler's socket may emit, and with what. */
export type ServerToClientEvents = { [E in ServerEventName]: (payload: ServerPayload<E>) => void };
export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientRequest<E>, ack: (result: AckResult<ClientResponse<E>>) => void) => void;
};
/**
 * A socket of `/`, typed: `socket.emit('im.message', m)` checks the name and payload. The
 * Server itself is created untyped in app.ts (shared with `/dashboard`, whose events differ);
 * the gateway types its sockets as they connect.
 */
export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketContext {
  appid: string;
  uid: string;
  socket: GatewaySocket;
  services: Services;
  core: Core;
}

/** The gateway's own per-socket state beside the context handlers see (not in socket.data, which recovery persists). */
interface LiveContext extends SocketContext {
  /** Events accepted and not answered yet. */
  answering: number;
  /** Runs once `answering` drops to 0 (a flood disconnect waits for the acks owed). */
  onAnswered: (() => void) | null;
  flooded: boolean;
}

/** Where a socket keeps its LiveContext (a symbol: no name Socket.IO or a feature could use). */
const LIVE_CONTEXT = Symbol('switchboard.liveContext');
type ContextHolder = { [LIVE_CONTEXT]: LiveContext };

type Handler<E extends ClientEventName> = (ctx: SocketContext, payload: ClientRequest<E>) => Promise<ClientResponse<E>>;
/**
 * Reads one part of `session.snapshot`. `found` is false when the part's probe found none of
 * its keys: the part answers its empty value without reading (a user who never touched the
 * feature costs it nothing). Parts without a probe always get true.
 */
type SnapshotReader = (ctx: SocketContext, found: boolean) => Promise<unknown>;
/** The keys a part would read (its store names them), checked in the registry's one script. */
type SnapshotProbe = (ctx: SocketContext) => ProbeItem[];
type DisconnectListener = (ctx: SocketContext, reason: string) => Promise<void>;

export interface Gateway {
  handle<E extends ClientEventName>(event: E, handler: Handler<E>): void;
  /**
   * Features add their pending state to `session.snapshot` under `name`. With a probe, the
   * part is read only when one of the probed keys exists (all probes are one round trip).
   */
  contributeSnapshot(name: string, read: SnapshotReader, probe?: SnapshotProbe): void;
  /** Features hear a socket closing (presence: an agent's grace period starts). */
  onDisconnect(fn: DisconnectListener): void;
  /** `probe: false` reads every part in full (tests compare it with the probed read). */
  snapshot(ctx: SocketContext, recovered?: boolean, opts?: { probe?: boolean }): Promise<Record<string, unknown>>;
  stop(): void;
  /** Resolves once every disconnect listener started so far has finished (shutdown waits for it before Redis closes). */
  settled(): Promise<void>;
}

// The shared pieces live in the kernel (both namespaces use them); named here too for older imports.
export { checkOrigin, connectError, takeToken } from './kernel.js';

const NOTHING = Object.freeze({});
/**
 * What every socket of `/` keeps as its handshake once connected: the middleware read the
 * token and the origin from its own, and nothing reads it after (its address, time and
 * headers would be a hundred bytes and more a socket). One frozen object for all sockets.
 */
const SPENT_HANDSHAKE = Object.freeze({
  headers: NOTHING,
  time: '',
  address: '',
  xdomain: false,
  secure: false,
  issued: 0,
  url: '',
  query: NOTHING,
  auth: NOTHING,
});

export function attachGateway(io: Server, core: Core, services: Services): Gateway {
  const { config, log } = core;
  const handlers = new Map<string, Handler<ClientEventName>>();
  /** The snapshot's parts, in registration order (a name registered again replaces its part). */
  const contributors: Array<{ name: string; read: SnapshotReader; probe?: SnapshotProbe }> = [];
  const disconnectListeners: DisconnectListener[] = [];
  // Listeners still writing (presence, web IM, pairing): shutdown waits for them before Redis closes.
  const pendingDisconnects = new Set<Promise<void>>();
  const origins = allowedOrigins(config);
  const recovery = Boolean((io as unknown as { opts?: { connectionStateRecovery?: unknown } }).opts?.connectionStateRecovery);
  const readOffset = recovery ? lastReadOffset(io.of('/').adapter) : () => undefined;

  // Memory: Engine.IO keeps the first HTTP request of each session for the whole session
  // (Socket.IO's memory guide drops it), and its upgrade closures keep it too. The handshakes
  // here read two headers of it (origin, authorization): a small stand-in keeps just those,
  // and the request's own header copies (an object and a few dozen strings) are let go.
  io.engine.on('connection', trimEngineSocket);
  // And its per-connection closures that only pass an event on become shared functions.
  // (engine-lean.ts; SOCKET_SHARED_HANDLERS=false leaves Engine.IO as it ships.)
  if (!config.SOCKET_SHARED_HANDLERS) uninstallLeanEngine();
  else if (!installLeanEngine(io.engine))
    log.warn(
      { engineIo: engineIoVersion(), reviewed: REVIEWED_ENGINE_IO },
      'Engine.IO version not reviewed: sockets keep its per-connection handlers',
    );

  useHandshake(io.of('/'), { origins, log, logMessage: 'socket handshake failed' }, async (socket): Promise<SocketData> => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const header = socket.handshake.headers.authorization;
    const token = typeof auth?.token === 'string' ? auth.token : header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) throw new AppError('AUTH_REQUIRED', 'pass the login token as auth: { token }');
    const s = await services.accounts.authenticate(token);
    return { appid: s.appid, uid: s.uid, tokenHash: s.tokenHash, expiresAt: s.expiresAt, bucket: fullBucket(config), registered: false };
  });

  io.on('connection', (untyped) => {
    const socket = untyped as unknown as GatewaySocket;
    const data = socket.data as SocketData;
    data.registered = false; // a recovered session brings its old data: it is registered again by the snapshot
    // Read by the middleware above and nothing after: keep no per-socket copy of the token,
    // the request's URL, the address and the connection time (a few hundred bytes a socket).
    (socket as { handshake: object }).handshake = SPENT_HANDSHAKE;
    const userRoom = internalized(socketRooms.user(data.appid, data.uid)); // kept by the adapter while the socket lives
    void socket.join(userRoom);
    packRoom(untyped, userRoom);
    const ctx: LiveContext = { appid: data.appid, uid: data.uid, socket, services, core, answering: 0, onAnswered: null, flooded: false };
    (socket as unknown as ContextHolder)[LIVE_CONTEXT] = ctx;
    socket.onAny(onSocketEvent);
    socket.on('disconnect', onSocketDisconnect);
    packSocket(untyped); // last: once every listener of the socket is on
    gateway
      .snapshot(ctx, socket.recovered)
      .then((snap) => {
        core.metrics.socketEventOut('session.snapshot', 'socket');
        // Straight to the socket, not through the adapter (an XADD every node reads back).
        // With connection state recovery the packet carries, as its last argument, the
        // newest stream offset this node has read: the client sends it back to recover
        // (infra/adapter.ts: lastReadOffset says why that offset is right). A node that has
        // read none yet sends through the adapter, whose XADD gives the offset. (The untyped
        // socket: the offset is an argument the typed map of session.snapshot does not have.)
        const offset = recovery ? readOffset() : undefined;
        if (offset) untyped.nsp.local.to(socket.id).emit('session.snapshot', snap, offset);
        else if (recovery) untyped.emit('session.snapshot', snap);
        else untyped.nsp.local.to(socket.id).emit('session.snapshot', snap);
      })
      .catch((err: unknown) => log.error({ err, uid: data.uid }, 'snapshot failed'));
  });

  // One listener of each kind for every socket, not a closure per socket (with the context
  // it would keep: about 240 bytes a socket): Socket.IO calls `onAny` listeners, and
  // EventEmitter its listeners, with the socket as `this`, whose context is on it.
  function onSocketEvent(this: ContextHolder, event: string, ...args: unknown[]): void {
    void dispatch(this[LIVE_CONTEXT], event, args);
  }

  function onSocketDisconnect(this: ContextHolder, reason: string): void {
    const ctx = this[LIVE_CONTEXT];
    for (const fn of disconnectListeners) {
      const done = fn(ctx, reason).catch((err: unknown) => log.error({ err, uid: ctx.uid }, 'disconnect listener failed'));
      pendingDisconnects.add(done);
      void done.finally(() => pendingDisconnects.delete(done));
    }
  }

  async function dispatch(ctx: LiveContext, event: string, args: unknown[]): Promise<void> {
    const socket = ctx.socket;
    const data = socket.data as SocketData;
    core.metrics.socketEventIn(event);
    const ack = takeAck(args);
    const fail = (err: unknown) => answerError(ack, event, err, (body: ServerPayload<'session.error'>) => void socket.emit('session.error', body));
    const now = Date.now();
    if (!takeToken(data.bucket, now, config)) {
      fail(rateLimited(config));
      if (flooding(data.bucket, config) && !ctx.flooded) {
        ctx.flooded = true;
        log.warn({ appid: data.appid, uid: data.uid }, 'socket flood: disconnecting');
        // The events accepted before the flood are answered first, then the last word and the close.
        const close = () => tellAndClose(socket, 'session.error', { event, code: 'RATE_LIMITED', message: 'flood: disconnected' });
        if (ctx.answering === 0) close();
        else ctx.onAnswered = close;
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
    ctx.answering++;
    try {
      const payload = readPayload(clientEvents[event as ClientEventName].request, args[0], event);
      answer(ack, await handler(ctx, payload as never));
    } catch (err) {
      if (!(err instanceof AppError)) log.error({ err, event, uid: data.uid }, 'socket handler failed');
      fail(err);
    } finally {
      if (--ctx.answering === 0 && ctx.onAnswered) {
        const then = ctx.onAnswered;
        ctx.onAnswered = null;
        then();
      }
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
    contributeSnapshot(name, read, probe) {
      const part = probe ? { name, read, probe } : { name, read };
      const at = contributors.findIndex((c) => c.name === name);
      if (at >= 0) contributors[at] = part;
      else contributors.push(part);
    },
    onDisconnect(fn) {
      disconnectListeners.push(fn);
    },
    stop: () => clearInterval(sweep),
    async settled() {
      await Promise.all(pendingDisconnects);
    },
    async snapshot(ctx, recovered = false, opts = {}) {
      // One script registers the socket, reads the user and probes every part's keys; parts
      // without a probe start beside it (same tick: the same write to Redis). Every connect
      // runs this, so it is plain loops over the list of parts, not a promise per part.
      const probes: ProbeItem[] = [];
      const ranges: Array<readonly [number, number] | null> = [];
      for (const c of contributors) {
        if (!c.probe) {
          ranges.push(null);
          continue;
        }
        const start = probes.length;
        for (const item of c.probe(ctx)) probes.push(item);
        ranges.push([start, probes.length]);
      }
      const registering = core.sessions.open(ctx.appid, ctx.uid, ctx.socket.id, probes);
      const pending: Array<Promise<unknown> | null> = contributors.map((c) => (c.probe ? null : c.read(ctx, true)));
      // If the registry script fails, the reads already started must not end up unhandled rejections.
      for (const p of pending) p?.catch(() => undefined);
      const opened = await registering;
      // From now on this socket counts in the registry (emitter.joinRoomOf relies on it).
      (ctx.socket.data as SocketData).registered = true;
      const values = await Promise.all(
        contributors.map((c, i) => {
          const range = ranges[i];
          if (!range) return pending[i];
          let found = opts.probe === false;
          for (let k = range[0]; k < range[1] && !found; k++) found = opened.hits[k] === true;
          return c.read(ctx, found);
        }),
      );
      const snap: Record<string, unknown> = {
        appid: ctx.appid,
        user: services.accounts.userFromRecord(ctx.appid, ctx.uid, opened.user),
        serverTime: Date.now(),
        recovered,
      };
      contributors.forEach((c, i) => (snap[c.name] = values[i]));
      return snap;
    },
  };

  gateway.handle('session.ping', async (_ctx, p) => ({ ...(p.t !== undefined ? { t: p.t } : {}), serverTime: Date.now() }));
  gateway.handle('session.snapshot', async (ctx) => (await gateway.snapshot(ctx)) as ClientResponse<'session.snapshot'>);
  return gateway;
}

export function socketServerOptions(config: Config) {
  return {
    // The dashboard page loads the browser client from /socket.io/socket.io.js.
    serveClient: true,
    maxHttpBufferSize: config.SOCKET_MAX_PAYLOAD_BYTES,
    // No `cors` here: Engine.IO would run it on every WebSocket upgrade too (useEngineCors).
  };
}

/**
 * CORS for Engine.IO's HTTP long-polling requests only. Given as Socket.IO's `cors` option,
 * the `cors` middleware also runs on every WebSocket upgrade (Engine.IO applies its
 * middlewares to upgrades), where it does nothing a browser reads (WebSocket has no CORS;
 * the handshake checks the Origin against CORS_ORIGINS) and costs each connect a few
 * microseconds and the 101 answer its headers.
 */
export function useEngineCors(io: Server, config: Config): void {
  const origins = allowedOrigins(config);
  const allow = cors({ origin: origins, credentials: origins !== true });
  io.engine.use((req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => {
    if (req.headers.upgrade !== undefined) next();
    else allow(req, res, next);
  });
}
