// Switchboard's typed client for the socket API, used by apps (Node and browsers), tests and
// the load scripts: `request` sends a catalogue event and resolves with its ack data (or
// throws a SwitchboardError with the server's code); `on` listens to server events. Every
// name and payload is typed from the catalogue (type-only imports: nothing of the server
// is bundled). Packaged as `switchboard/client` (ESM + .d.ts; a browser bundle with
// socket.io-client inside): npm run build:client, docs/realtime.md.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ClientEventName, ClientRequest, ClientResponse, ServerEventName, ServerPayload, AckResult } from '../infra/contract.js';

export type { ClientEventName, ClientRequest, ClientResponse, ServerEventName, ServerPayload, AckResult };

export class SwitchboardError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SwitchboardError';
  }
}

/** Socket.IO's typed maps of the main namespace: listeners of server events, emits of client events (ack last). */
export type ServerToClientEvents = { [E in ServerEventName]: (payload: ServerPayload<E>) => void };
export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientRequest<E>, ack: (result: AckResult<ClientResponse<E>>) => void) => void;
};
/** A socket.io-client socket typed by the catalogue (`socket.on('room.member', (m) => …)` knows m). */
export type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Snapshot = ServerPayload<'session.snapshot'>;

export interface ClientOptions {
  token: string;
  /** ack timeout for request(), ms (default 10 s) */
  timeoutMs?: number;
  socket?: Partial<ManagerOptions & SocketOptions>;
  /** After a reconnect, join again the rooms this client joined that the new snapshot no longer holds (default true). */
  rejoinRooms?: boolean;
}

export interface SwitchboardClient {
  socket: TypedSocket;
  /** Resolves once connected, with the first session.snapshot. */
  ready: Promise<Snapshot>;
  /** The latest session.snapshot (updated on every reconnect); undefined before the first. */
  readonly snapshot: Snapshot | undefined;
  /** The rooms this client is in, as far as it knows: joined here or listed by the last snapshot. */
  readonly rooms: ReadonlySet<string>;
  request<E extends ClientEventName>(event: E, payload: ClientRequest<E>): Promise<ClientResponse<E>>;
  on<E extends ServerEventName>(event: E, fn: (payload: ServerPayload<E>) => void): () => void;
  /** Any other server event (an app's own pushes through notify). */
  onEvent(event: string, fn: (payload: unknown) => void): () => void;
  /** Every reconnect, once its snapshot is applied and the lost rooms are joined again (`failed`: those that refused). */
  onReconnect(fn: (snapshot: Snapshot, rejoin: { joined: string[]; failed: Array<{ roomId: string; code: string }> }) => void): () => void;
  close(): void;
}

/** How long the client waits before it tries a handshake refused with REDIS_UNAVAILABLE again: 0.5 s, doubling, at most 5 s. */
const RETRY_MS = { first: 500, max: 5000 };
/** Refusals that pass: Redis unreachable or failing over (and the older name of that code). */
const RETRYABLE = new Set(['REDIS_UNAVAILABLE', 'UNAVAILABLE']);

type ConnectError = Error & { data?: { code?: string; message?: string } };

export function connectClient(url: string, opts: ClientOptions): SwitchboardClient {
  const socket: TypedSocket = io(url, { transports: ['websocket'], auth: { token: opts.token }, ...opts.socket });
  // The untyped view, for names outside the catalogue and the ack plumbing.
  const raw = socket as unknown as Socket;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // A handshake the server refuses with REDIS_UNAVAILABLE (Redis down or failing over: the 503 of the
  // socket API) is tried again a moment later. Socket.IO itself never retries a handshake the
  // server refused, so without this a client reconnecting during a failover stayed offline.
  // Any other refusal (a bad or revoked token) is final.
  let retryMs = RETRY_MS.first;
  let closed = false;
  raw.on('connect_error', (err: ConnectError) => {
    if (!RETRYABLE.has(err.data?.code ?? '') || closed) return;
    setTimeout(
      () => {
        if (!closed && !socket.connected) socket.connect();
      },
      retryMs * (0.8 + Math.random() * 0.4),
    );
    retryMs = Math.min(retryMs * 2, RETRY_MS.max);
  });
  raw.on('connect', () => void (retryMs = RETRY_MS.first));

  async function request<E extends ClientEventName>(event: E, payload: ClientRequest<E>): Promise<ClientResponse<E>> {
    const result = (await raw.timeout(timeoutMs).emitWithAck(event, payload)) as AckResult<ClientResponse<E>>;
    if (result.ok) return result.data;
    throw new SwitchboardError(result.error.code, result.error.message);
  }

  // The rooms to follow across reconnects. The server puts a reconnecting socket back into
  // the rooms its user is still a member of (and lists them in the snapshot); a room the user
  // timed out of while offline (ROOM_MEMBER_TIMEOUT_MS) is joined again here.
  const rooms = new Set<string>();
  let snapshot: Snapshot | undefined;
  const reconnectListeners = new Set<Parameters<SwitchboardClient['onReconnect']>[0]>();
  const snapshotRooms = (s: Snapshot): string[] => {
    const listed = (s as { rooms?: unknown }).rooms; // the rooms part (modules/rooms), when the feature is on
    return Array.isArray(listed) ? listed.map((r: { roomId: string }) => r.roomId) : [];
  };

  async function applySnapshot(s: Snapshot): Promise<void> {
    const first = snapshot === undefined;
    snapshot = s;
    const held = new Set(snapshotRooms(s));
    const lost = first || opts.rejoinRooms === false ? [] : [...rooms].filter((r) => !held.has(r));
    for (const r of held) rooms.add(r);
    if (first) return;
    const joined: string[] = [];
    const failed: Array<{ roomId: string; code: string }> = [];
    await Promise.all(
      lost.map((roomId) =>
        request('room.join', { roomId }).then(
          () => void joined.push(roomId),
          (err: unknown) => {
            rooms.delete(roomId);
            failed.push({ roomId, code: err instanceof SwitchboardError ? err.code : 'REJOIN_FAILED' });
          },
        ),
      ),
    );
    for (const fn of reconnectListeners) fn(s, { joined, failed });
  }
  raw.on('session.snapshot', (s: Snapshot) => void applySnapshot(s));

  const ready = new Promise<Snapshot>((resolve, reject) => {
    raw.once('session.snapshot', resolve);
    const onError = (err: ConnectError) => {
      if (RETRYABLE.has(err.data?.code ?? '')) return; // tried again (above)
      raw.off('connect_error', onError);
      reject(new SwitchboardError(err.data?.code ?? 'CONNECT_FAILED', err.data?.message ?? err.message));
    };
    raw.on('connect_error', onError);
    raw.once('session.snapshot', () => raw.off('connect_error', onError));
  });
  const onEvent = (event: string, fn: (payload: unknown) => void) => {
    raw.on(event, fn);
    return () => void raw.off(event, fn);
  };
  return {
    socket,
    ready,
    get snapshot() {
      return snapshot;
    },
    rooms,
    async request(event, payload) {
      const data = await request(event, payload);
      // Follow the room across reconnects (room.join / room.leave answered ok).
      if (event === 'room.join') rooms.add((payload as ClientRequest<'room.join'>).roomId);
      else if (event === 'room.leave') rooms.delete((payload as ClientRequest<'room.leave'>).roomId);
      return data;
    },
    on: (event, fn) => onEvent(event, fn as (p: unknown) => void),
    onEvent,
    onReconnect(fn) {
      reconnectListeners.add(fn);
      return () => void reconnectListeners.delete(fn);
    },
    close: () => {
      closed = true;
      socket.close();
    },
  };
}
