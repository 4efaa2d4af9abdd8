// What a socket keeps, trimmed. Every open socket pays for what its Engine.IO and Socket.IO
// objects hold, so the gateway lets go of what nothing reads after the handshake and packs
// what stays (docs/benchmarks.md, issue 13, fifth and tenth rounds, measured by
// `npm run bench -- socket-memory`).
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'socket.io';

/** The part of an Engine.IO socket the trims touch. */
export interface EngineSocket {
  request: IncomingMessage | HandshakeRequest;
  transport?: {
    socket?: {
      listeners?(e: string): Array<(...a: unknown[]) => void>;
      removeListener?(e: string, f: (...a: unknown[]) => void): void;
      _socket?: NodeJS.EventEmitter;
    };
  };
}

/**
 * Engine.IO 6.6 leaves two listeners of the WebSocket upgrade on for the socket's whole
 * life, and with them the upgrade request (an IncomingMessage and its stream state): the
 * WebSocket's 'error' listener `onUpgradeError` (a no-op once the transport listens for
 * errors itself) and the TCP socket's 'close' listener that re-emits on the upgrade's fake
 * response (for HTTP middlewares, which the engine here has none of). Each is recognised
 * by its name or text; if a later Engine.IO changes them, nothing is removed.
 */
function releaseUpgradeListeners(raw: EngineSocket): void {
  const ws = raw.transport?.socket;
  if (!ws?.listeners || !ws.removeListener) return;
  for (const fn of ws.listeners('error')) if (upgradeListener.isErrorListener(fn)) ws.removeListener('error', fn);
  const tcp = ws._socket;
  if (!tcp) return;
  for (const fn of tcp.listeners('close')) if (upgradeListener.isCloseReEmit(fn)) tcp.removeListener('close', fn as (...a: unknown[]) => void);
}

/** How releaseUpgradeListeners recognises the two (exported: a test checks them against the installed Engine.IO). */
export const upgradeListener = {
  /** The WebSocket's 'error' listener, by name. */
  isErrorListener: (fn: unknown) => typeof fn === 'function' && fn.name === 'onUpgradeError',
  /**
   * The TCP socket's 'close' listener, by text: an anonymous arrow (the socket's other close
   * listeners, Node's and ws', are named functions: they are passed over before their source
   * text, a string built per call, is read).
   */
  isCloseReEmit: (fn: unknown) => typeof fn === 'function' && fn.name === '' && /^\(\) => this\.emit\("close"\)$/.test(String(fn)),
};

/** What Socket.IO's handshake reads of the upgrade request (socket.handshake), and nothing else. */
interface HandshakeRequest {
  headers: { origin?: string; authorization?: string };
  url?: string;
  connection: { encrypted: boolean };
}

function handshakeRequest(req: IncomingMessage): HandshakeRequest {
  const { origin, authorization } = req.headers;
  return {
    headers: { ...(origin !== undefined ? { origin } : {}), ...(authorization !== undefined ? { authorization } : {}) },
    ...(req.url !== undefined ? { url: req.url } : {}),
    connection: { encrypted: Boolean((req.socket as { encrypted?: boolean }).encrypted) },
  };
}

/**
 * Lets go of what an Engine.IO socket keeps of its upgrade request beyond the two headers
 * the handshakes read (exported for the socket-memory benchmark, which measures Engine.IO
 * alone with it).
 */
export function trimEngineSocket(raw: EngineSocket): void {
  const req = raw.request as IncomingMessage;
  raw.request = handshakeRequest(req);
  req.headers = {};
  req.rawHeaders = [];
  releaseUpgradeListeners(raw);
}

/**
 * Node's EventEmitter keeps its listeners in a `{ __proto__: null }` object, which V8 holds
 * as a hash table (a dictionary of ~300 bytes for a handful of events). A copy with the same
 * keys is an ordinary object whose shape every socket shares (~80 bytes). The emitter reads
 * `_events` afresh on every call, so swapping the table is invisible to it; a listener
 * removed later only turns that one table back into a dictionary.
 */
function packListeners(emitter: unknown): void {
  const e = emitter as { _events?: object } | null | undefined;
  const table = e?._events;
  if (!table || Object.getPrototypeOf(table) !== null) return; // none, or already an ordinary object (streams)
  e._events = Object.setPrototypeOf({ ...table }, null) as object;
}

/**
 * An array that grew by a push keeps room for 17 entries (152 bytes) however few it holds; a
 * copy holds exactly its entries. Only for arrays set once per socket: one that is pushed to
 * on every packet would grow back.
 */
function exactArray(owner: unknown, key: string): void {
  const o = owner as Record<string, unknown> | null | undefined;
  const a = o?.[key];
  if (Array.isArray(a)) o![key] = a.slice();
}

/** The Engine.IO and `ws` emitters under a Socket.IO socket, as Engine.IO 6.6 names them. */
type Layers = { conn?: { transport?: { socket?: unknown }; cleanupFn?: unknown } };

/** Packs an Engine.IO socket's listener tables, its transport's and its WebSocket's (exported for the socket-memory benchmark). */
export function packEngine(conn: Layers['conn']): void {
  packListeners(conn);
  packListeners(conn?.transport);
  packListeners(conn?.transport?.socket);
}

/**
 * Packs what a Socket.IO socket keeps once it is set up (after its connection handler has
 * added its listeners): the listener tables of the socket, of its Engine.IO socket, of the
 * Engine.IO transport and of the `ws` WebSocket under it, and the arrays each fills once
 * (about 1.2 KiB a socket). A socket that starts on long-polling gets a new transport when
 * it upgrades: that one is packed once the upgrade is done.
 */
export function packSocket(socket: Socket): void {
  const conn = (socket as unknown as Layers).conn;
  packListeners(socket);
  packEngine(conn);
  exactArray(socket, '_anyListeners');
  exactArray(conn, 'cleanupFn');
  exactArray((socket.client as unknown as { decoder?: { _callbacks?: unknown } }).decoder?._callbacks, '$decoded');
  // A long-polling start: the upgrade swaps the transport and takes its own listeners off
  // (tables turn back into dictionaries), so pack again once its last listener has run.
  if (socket.conn.transport.name !== 'websocket') socket.conn.once('upgrade', () => setImmediate(packEngine, conn));
}
