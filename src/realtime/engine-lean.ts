// Engine.IO with shared event handlers. Engine.IO 6.6 gives every connection about a dozen
// closures and bound functions whose only work is to pass an event on to the socket or the
// transport that made them: the Engine.IO socket's five listeners on its transport (two of
// them `once`, each a wrapper and a state object more) and the closure that removes them,
// its ping timer's callback, the WebSocket transport's three listeners on its `ws` socket
// and four send callbacks, and the server's two listeners per client. They cost about 1.7 KiB
// per open socket, a fifth of what a Switchboard socket held (docs/benchmarks.md, issue 13,
// twelfth round; docs/decisions.md, "Engine.IO's per-connection handlers shared"). Here
// each of those is one function for all connections, which finds its socket through one
// property of the emitter it listens on:
//   Socket.setTransport / clearTransport   the five transport listeners, shared
//   Socket.schedulePing                    the ping timer's callback, shared (its socket as the timer's argument)
//   transports.websocket                   the WebSocket transport, its listeners and send callbacks shared
//   leanEngineSocket                       the server's per-client 'close' listener swapped for a shared
//                                          one; its 'headers' listener dropped from a WebSocket transport
//                                          (only long-polling emits 'headers')
// Each does what Engine.IO's own code does, step for step (the code it replaces is quoted
// by name in each comment). It is installed over the Engine.IO version it was written
// against only (REVIEWED_ENGINE_IO): another one is left as it ships, with a warning, and
// the test that checks the install fails, so that an upgrade of Engine.IO is reviewed here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Socket, Transport, transports, type Server as EngineServer } from 'engine.io';
import type { Packet, RawData } from 'engine.io-parser';
import { isAnonymousMatching } from './socket-memory.js';

/** The Engine.IO versions whose internals this module was checked against. */
export const REVIEWED_ENGINE_IO = ['6.6.13'];

/** On a transport: the Engine.IO socket it serves. On a `ws` WebSocket: its transport. */
const OWNER = Symbol('switchboard.owner');

/** What the shared handlers call on an Engine.IO socket (private in its typings). */
interface EngineSocket {
  id: string;
  server: { clients: Record<string, unknown>; clientsCount: number; opts: { pingInterval: number } };
  transport: TransportInternals;
  hasRefreshedPingTimeout: boolean;
  pingIntervalTimer: NodeJS.Timeout | null;
  onError(err: unknown): void;
  onClose(reason: string, description?: unknown): void;
  onPacket(packet: Packet): void;
  onDrain(): void;
  flush(): void;
  sendPacket(type: string): void;
  resetPingTimeout(): void;
  prependListener(event: string, fn: (...a: unknown[]) => void): void;
  removeListener(event: string, fn: (...a: unknown[]) => void): void;
  rawListeners(event: string): Array<((...a: unknown[]) => void) & { listener?: (...a: unknown[]) => void }>;
}

type TransportInternals = Transport & { [OWNER]?: EngineSocket | null; name: string };

/** The `ws` WebSocket under a transport, with the parts of it Engine.IO uses. */
interface WsSocket {
  [OWNER]?: LeanWebSocket;
  _sender?: { sendFrame?(frame: unknown, cb: (err?: Error) => void): void };
  send(data: RawData, cb: (err?: Error) => void): void;
  close(): void;
  on(event: string, fn: (...a: never[]) => void): void;
  removeListener(event: string, fn: (...a: never[]) => void): void;
}

// --- The Engine.IO socket's listeners on its transport (Socket.setTransport) ---------------

/** `transport.once("error", this.onError.bind(this))` */
function onTransportError(this: TransportInternals, err: unknown): void {
  const socket = this[OWNER];
  this.removeListener('error', onTransportError);
  socket?.onError(err);
}

/** `transport.on("ready", () => this.flush())` */
function onTransportReady(this: TransportInternals): void {
  this[OWNER]?.flush();
}

/** `transport.on("packet", this.onPacket.bind(this))` */
function onTransportPacket(this: TransportInternals, packet: Packet): void {
  this[OWNER]?.onPacket(packet);
}

/** `transport.on("drain", this.onDrain.bind(this))` */
function onTransportDrain(this: TransportInternals): void {
  this[OWNER]?.onDrain();
}

/** `transport.once("close", this.onClose.bind(this, "transport close"))` */
function onTransportClose(this: TransportInternals): void {
  const socket = this[OWNER];
  this.removeListener('close', onTransportClose);
  socket?.onClose('transport close');
}

function setTransport(this: EngineSocket, transport: TransportInternals): void {
  this.transport = transport;
  transport[OWNER] = this;
  transport.on('error', onTransportError);
  transport.on('ready', onTransportReady);
  transport.on('packet', onTransportPacket);
  transport.on('drain', onTransportDrain);
  transport.on('close', onTransportClose);
}

/** What Engine.IO's cleanup closure (pushed to `cleanupFn` by setTransport) does. */
function detachTransport(transport: TransportInternals): void {
  transport.removeListener('error', onTransportError);
  transport.removeListener('ready', onTransportReady);
  transport.removeListener('packet', onTransportPacket);
  transport.removeListener('drain', onTransportDrain);
  transport.removeListener('close', onTransportClose);
  transport[OWNER] = null;
}

// --- The ping timer (Socket.schedulePing) --------------------------------------------------

/** The callback of `schedulePing`'s timer: a ping goes out and the pong is awaited. */
function pingDue(socket: EngineSocket): void {
  socket.hasRefreshedPingTimeout = false;
  socket.sendPacket('ping');
  socket.resetPingTimeout();
}

function schedulePing(this: EngineSocket): void {
  this.pingIntervalTimer = setTimeout(pingDue, this.server.opts.pingInterval, this);
}

// --- The WebSocket transport (transports.websocket) -----------------------------------------

/** `socket.on("message", (data, isBinary) => super.onData(isBinary ? data : data.toString()))` */
function onWsMessage(this: WsSocket, data: Buffer, isBinary: boolean): void {
  (this[OWNER] as unknown as { onData(d: RawData): void } | undefined)?.onData(isBinary ? data : data.toString());
}

/** `socket.once("close", this.onClose.bind(this))` */
function onWsClose(this: WsSocket): void {
  const transport = this[OWNER] as unknown as { onClose(): void } | undefined;
  this.removeListener('close', onWsClose);
  transport?.onClose();
}

/** `socket.on("error", this.onError.bind(this))` */
function onWsError(this: WsSocket, err: unknown): void {
  (this[OWNER] as unknown as { onError(msg: unknown): void } | undefined)?.onError(err);
}

/** `_onSent` / `_onSentLast`: a write error closes the transport; the batch's last write makes it writable again. */
function written(transport: LeanWebSocket, err: Error | undefined | null, last: boolean): void {
  if (err) transport.writeFailed(err);
  else if (last) {
    transport.emit('drain');
    transport.writable = true;
    transport.emit('ready');
  }
}

/**
 * Engine.IO's WebSocket transport (transports/websocket.js) with its listeners on the `ws`
 * socket shared, and its send callbacks made per batch (short-lived) instead of kept per
 * connection: most sockets sit idle between sends.
 */
export class LeanWebSocket extends Transport {
  private readonly socket: WsSocket;

  constructor(req: ConstructorParameters<typeof Transport>[0] & { websocket?: unknown }, opts?: ConstructorParameters<typeof Transport>[1]) {
    super(req, opts);
    const ws = req.websocket as WsSocket;
    this.socket = ws;
    ws[OWNER] = this;
    ws.on('message', onWsMessage);
    ws.on('close', onWsClose);
    ws.on('error', onWsError);
    this.writable = true;
  }

  get name(): string {
    return 'websocket';
  }

  get handlesUpgrades(): boolean {
    return true;
  }

  send(packets: Packet[]): void {
    this.writable = false;
    for (let i = 0; i < packets.length; i++) {
      const packet = packets[i]!;
      const last = i + 1 === packets.length;
      const done = (err?: Error | null) => written(this, err, last);
      const frame = this.preEncodedFrame(packet);
      // A broadcast's WebSocket frame, built once for all its sockets by Socket.IO's adapter.
      if (frame !== undefined) this.socket._sender!.sendFrame!(frame, done);
      else this.parser.encodePacket(packet, this.supportsBinary, (data: RawData) => this.socket.send(data, done));
    }
  }

  /** `_canSendPreEncodedFrame`: the frame, when the packet carries one this socket can take as is. */
  private preEncodedFrame(packet: Packet): unknown {
    if (this.opts.perMessageDeflate || typeof this.socket._sender?.sendFrame !== 'function') return undefined;
    return (packet.options as { wsPreEncodedFrame?: unknown } | undefined)?.wsPreEncodedFrame;
  }

  /** `onError("write error", err.stack)` (protected in Transport, called by the shared `written`). */
  writeFailed(err: Error): void {
    this.onError('write error', err.stack);
  }

  doClose(fn?: () => void): void {
    this.socket.close();
    if (fn) fn();
  }
}

// --- The server's listeners per client (Server.handshake) ----------------------------------

/** `socket.once("close", () => { delete this.clients[id]; this.clientsCount--; })` */
function forgetClient(this: EngineSocket): void {
  this.removeListener('close', forgetClient);
  delete this.server.clients[this.id];
  this.server.clientsCount--;
}

/** How the handshake's two listeners are recognised (exported: a test checks them against the installed Engine.IO). */
export const handshakeListener = {
  isForgetClient: (fn: unknown) => isAnonymousMatching(fn, /^\(\) => \{\s*delete this\.clients\[id\];\s*this\.clientsCount--;\s*\}$/),
  isHeaders: (fn: unknown) => isAnonymousMatching(fn, /"initial_headers"/),
};

/**
 * Swaps, on a new Engine.IO socket, the server's closure that forgets it when it closes for
 * the shared `forgetClient` (first among its close listeners, as before), and drops the
 * server's 'headers' listener from a WebSocket transport, which never emits it. A listener
 * not recognised is left as it is.
 */
export function leanEngineSocket(raw: unknown): void {
  if (!leanEngineInstalled()) return;
  const socket = raw as EngineSocket;
  for (const fn of socket.rawListeners('close')) {
    if (!handshakeListener.isForgetClient(fn.listener)) continue;
    socket.removeListener('close', fn);
    socket.prependListener('close', forgetClient);
    break;
  }
  const transport = socket.transport;
  if (transport?.name !== 'websocket') return;
  for (const fn of transport.listeners('headers'))
    if (handshakeListener.isHeaders(fn)) transport.removeListener('headers', fn as (...a: unknown[]) => void);
}

// --- Installing ------------------------------------------------------------------------------

/**
 * On Engine.IO's Socket.prototype while installed: what the install replaced. Kept on Engine.IO
 * itself (a registered symbol), not in this module: Node loads Engine.IO once per process, and
 * a second copy of this module (a test runner's fresh module graph) must see the install.
 */
const INSTALLED = Symbol.for('switchboard.engine-lean');

interface Stock {
  setTransport: unknown;
  clearTransport: (this: EngineSocket) => void;
  schedulePing: unknown;
  websocket: unknown;
}

type SocketPrototype = Record<string, unknown> & { [INSTALLED]?: Stock; clearTransport(this: EngineSocket): void };
const socketPrototype = () => Socket.prototype as unknown as SocketPrototype;
const transportTable = () => transports as unknown as Record<string, unknown>;

/** Whether this process's Engine.IO runs the shared handlers. */
export const leanEngineInstalled = (): boolean => socketPrototype()[INSTALLED] !== undefined;

/** The installed Engine.IO's version (its package.json, beside the main file: the package exports no subpath). */
export function engineIoVersion(): string {
  const main = createRequire(import.meta.url).resolve('engine.io');
  return (JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Installs the shared handlers in this process's Engine.IO (every Engine.IO server of the
 * process gets them; installing again changes nothing) and has `engine` swap its handshake
 * listeners on each connection. Returns false, changing nothing, over an Engine.IO version
 * not reviewed here.
 */
export function installLeanEngine(engine?: EngineServer): boolean {
  const proto = socketPrototype();
  if (!proto[INSTALLED]) {
    if (!REVIEWED_ENGINE_IO.includes(engineIoVersion())) return false;
    const stock: Stock = {
      setTransport: proto.setTransport,
      clearTransport: proto.clearTransport,
      schedulePing: proto.schedulePing,
      websocket: transportTable().websocket,
    };
    proto.setTransport = setTransport;
    proto.clearTransport = function (this: EngineSocket) {
      detachTransport(this.transport); // what setTransport's cleanup closure did
      stock.clearTransport.call(this);
    };
    proto.schedulePing = schedulePing;
    transportTable().websocket = LeanWebSocket;
    proto[INSTALLED] = stock;
  }
  engine?.on('connection', leanEngineSocket);
  return true;
}

/**
 * Puts Engine.IO back as it ships, for connections made from now on (SOCKET_SHARED_HANDLERS
 * off, and the tests that compare the two). Sockets already open keep working: the shared
 * handlers stay on them and a stock clearTransport closes their transport as before.
 */
export function uninstallLeanEngine(): void {
  const proto = socketPrototype();
  const stock = proto[INSTALLED];
  if (!stock) return;
  proto.setTransport = stock.setTransport;
  proto.clearTransport = stock.clearTransport;
  proto.schedulePing = stock.schedulePing;
  transportTable().websocket = stock.websocket;
  proto[INSTALLED] = undefined;
}
