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

/**
 * Whether `fn` is an anonymous function whose source text matches `text`: how a library's
 * closure is recognised when it has no name. Named functions (most of an emitter's other
 * listeners) are passed over before the source text, a string built per call, is read.
 */
export function isAnonymousMatching(fn: unknown, text: RegExp): boolean {
  return typeof fn === 'function' && fn.name === '' && text.test(String(fn));
}

/** How releaseUpgradeListeners recognises the two (exported: a test checks them against the installed Engine.IO). */
export const upgradeListener = {
  /** The WebSocket's 'error' listener, by name. */
  isErrorListener: (fn: unknown) => typeof fn === 'function' && fn.name === 'onUpgradeError',
  /** The TCP socket's 'close' listener, an arrow, by text (Node's and ws' close listeners are named). */
  isCloseReEmit: (fn: unknown) => isAnonymousMatching(fn, /^\(\) => this\.emit\("close"\)$/),
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
  const e = emitter as { _events?: Record<string | symbol, unknown> } | null | undefined;
  const table = e?._events;
  if (!table || Object.getPrototypeOf(table) !== null) return; // none, already packed, or an ordinary object (streams)
  const packed = new (ListenerTable as unknown as new () => Record<string | symbol, unknown>)();
  for (const event of Reflect.ownKeys(table)) packed[event] = table[event]; // names and symbols, in order
  e._events = packed;
}

/**
 * The packed tables' constructor. Its prototype has no properties and no prototype of its own,
 * so an event named like an Object method (`toString`, `constructor`) finds nothing, as in
 * Node's `{ __proto__: null }` table; V8 gives objects built by `new` an ordinary shape, shared
 * by every table with the same events in the same order. (A null-prototype copy,
 * `Object.setPrototypeOf({ ...table }, null)`, is as small but cost 3 µs a table to make.)
 */
function ListenerTable(): void {}
ListenerTable.prototype = Object.create(null) as object;

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

/**
 * A Map that holds its first entry in two fields and becomes a real Map only at its second.
 * A Map costs about 150 bytes even empty (its hash table is allocated with room for four);
 * Socket.IO gives every socket three that hold one entry or none: the client's sockets and
 * namespaces (one each unless the connection multiplexes namespaces) and the socket's acks
 * (one per server-sent event awaiting an ack, usually none). The methods are those of Map
 * that Socket.IO 4.8 and its adapter call; deleting while iterating works as with a Map.
 */
export class SmallMap<K, V> {
  private key: K | undefined = undefined;
  private value: V | undefined = undefined;
  private one = false;
  private map: Map<K, V> | null = null;

  static of<K, V>(from: Map<K, V>): SmallMap<K, V> {
    const m = new SmallMap<K, V>();
    for (const [k, v] of from) m.set(k, v);
    return m;
  }

  get size(): number {
    return this.map ? this.map.size : this.one ? 1 : 0;
  }

  get(key: K): V | undefined {
    if (this.map) return this.map.get(key);
    return this.one && this.key === key ? this.value : undefined;
  }

  has(key: K): boolean {
    return this.map ? this.map.has(key) : this.one && this.key === key;
  }

  set(key: K, value: V): this {
    if (this.map) this.map.set(key, value);
    else if (!this.one || this.key === key) {
      this.key = key;
      this.value = value;
      this.one = true;
    } else {
      this.map = new Map([[this.key as K, this.value as V]]);
      this.map.set(key, value);
      this.drop();
    }
    return this;
  }

  delete(key: K): boolean {
    if (this.map) return this.map.delete(key);
    if (!this.one || this.key !== key) return false;
    this.drop();
    return true;
  }

  clear(): void {
    this.map = null;
    this.drop();
  }

  forEach(fn: (value: V, key: K, map: this) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  /** A Map's own iterator once there is a Map; else one over a copy of the entry (deleting it meanwhile is safe). */
  entries(): IterableIterator<[K, V]> {
    return this.map ? this.map.entries() : (this.one ? [[this.key as K, this.value as V] as [K, V]] : []).values();
  }

  keys(): IterableIterator<K> {
    return this.map ? this.map.keys() : (this.one ? [this.key as K] : []).values();
  }

  values(): IterableIterator<V> {
    return this.map ? this.map.values() : (this.one ? [this.value as V] : []).values();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  private drop(): void {
    this.key = undefined;
    this.value = undefined;
    this.one = false;
  }
}

/**
 * The Set counterpart of SmallMap, for the adapter's rooms of one socket: the socket's own
 * room (Socket.IO puts each socket in a room named by its id) and a user's room while the
 * user has one socket on this node. The methods are those the in-memory adapter calls.
 */
export class SmallSet<T> {
  private item: T | undefined = undefined;
  private one = false;
  private set: Set<T> | null = null;

  static of<T>(from: Set<T>): SmallSet<T> {
    const s = new SmallSet<T>();
    for (const v of from) s.add(v);
    return s;
  }

  get size(): number {
    return this.set ? this.set.size : this.one ? 1 : 0;
  }

  has(v: T): boolean {
    return this.set ? this.set.has(v) : this.one && this.item === v;
  }

  add(v: T): this {
    if (this.set) this.set.add(v);
    else if (!this.one || this.item === v) {
      this.item = v;
      this.one = true;
    } else {
      this.set = new Set([this.item as T, v]);
      this.item = undefined;
      this.one = false;
    }
    return this;
  }

  delete(v: T): boolean {
    if (this.set) return this.set.delete(v);
    if (!this.one || this.item !== v) return false;
    this.item = undefined;
    this.one = false;
    return true;
  }

  clear(): void {
    this.set = null;
    this.item = undefined;
    this.one = false;
  }

  forEach(fn: (value: T, value2: T, set: this) => void): void {
    for (const v of this.values()) fn(v, v, this);
  }

  values(): IterableIterator<T> {
    return this.set ? this.set.values() : (this.one ? [this.item as T] : []).values();
  }

  keys(): IterableIterator<T> {
    return this.values();
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.values();
  }
}

/**
 * A dictionary-mode object (V8 makes `Object.create(null)` one): the names stored in it are
 * internalized, and storing a new one adds no hidden class. (An object literal with the name
 * as a computed key, `Object.keys({ [s]: true })`, did the same but gave V8's root map a
 * transition per distinct name: 20 µs a connect in the api's profile, twelfth round.)
 */
const internTable: Record<string, true> = Object.create(null) as Record<string, true>;

/**
 * `s` as one flat string from V8's string table. A name built by concatenation (a template
 * literal) is a tree of 32-byte nodes over its parts; kept as a Map key for the socket's life,
 * it holds the tree. A property name is internalized as it is stored, so the name read back
 * from the table is the flat, shared copy (every socket of a user on this node holds the same
 * one); the table is left empty again.
 */
export function internalized(s: string): string {
  internTable[s] = true;
  const flat = Object.keys(internTable)[0] ?? s;
  delete internTable[s];
  return flat;
}

/** Swaps the adapter's Set of `room` for a SmallSet when it holds one socket (and is a plain Set). */
export function packRoom(socket: Socket, room: string): void {
  const rooms = socket.nsp.adapter.rooms as Map<string, unknown>;
  const members = rooms.get(room);
  if (members instanceof Set && members.size === 1) rooms.set(room, SmallSet.of(members));
}

/** Swaps `owner[key]`, a Map, for a SmallMap with the same entries (nothing if it is not a plain Map). */
function smallMap(owner: unknown, key: string): void {
  const o = owner as Record<string, unknown> | null | undefined;
  const m = o?.[key];
  if (m instanceof Map && m.size <= 1) o![key] = SmallMap.of(m);
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
 * (about 1.2 KiB a socket); its three Maps of one entry or none (SmallMap) and its own room
 * in the adapter (SmallSet). A socket that starts on long-polling gets a new transport when
 * it upgrades: that one is packed once the upgrade is done.
 */
export function packSocket(socket: Socket): void {
  const conn = (socket as unknown as Layers).conn;
  packListeners(socket);
  packEngine(conn);
  exactArray(socket, '_anyListeners');
  exactArray(conn, 'cleanupFn');
  exactArray((socket.client as unknown as { decoder?: { _callbacks?: unknown } }).decoder?._callbacks, '$decoded');
  smallMap(socket, 'acks');
  smallMap(socket.client, 'sockets');
  smallMap(socket.client, 'nsps');
  packRoom(socket, socket.id);
  // A long-polling start: the upgrade swaps the transport and takes its own listeners off
  // (tables turn back into dictionaries), so pack again once its last listener has run.
  if (socket.conn.transport.name !== 'websocket') socket.conn.once('upgrade', () => setImmediate(packEngine, conn));
}
