// A small typed client for Switchboard's socket API, used by apps, tests and the load
// scripts: `request` sends a catalogue event and resolves with its ack data (or throws a
// SwitchboardError with the server's code); `on` listens to server events.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ClientEventName, ClientRequest, ClientResponse, ServerEventName, ServerPayload, AckResult } from '../realtime/catalogue.js';

export class SwitchboardError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SwitchboardError';
  }
}

export interface ClientOptions {
  token: string;
  /** ack timeout for request(), ms (default 10 s) */
  timeoutMs?: number;
  socket?: Partial<ManagerOptions & SocketOptions>;
}

export interface SwitchboardClient {
  socket: Socket;
  /** Resolves once connected, with the first session.snapshot. */
  ready: Promise<ServerPayload<'session.snapshot'>>;
  request<E extends ClientEventName>(event: E, payload: ClientRequest<E>): Promise<ClientResponse<E>>;
  on<E extends ServerEventName>(event: E, fn: (payload: ServerPayload<E>) => void): () => void;
  /** Any other server event (feature events, app pushes through notify). */
  onEvent(event: string, fn: (payload: unknown) => void): () => void;
  close(): void;
}

/** How long the client waits before it tries a handshake refused with REDIS_UNAVAILABLE again: 0.5 s, doubling, at most 5 s. */
const RETRY_MS = { first: 500, max: 5000 };
/** Refusals that pass: Redis unreachable or failing over (and the older name of that code). */
const RETRYABLE = new Set(['REDIS_UNAVAILABLE', 'UNAVAILABLE']);

export function connectClient(url: string, opts: ClientOptions): SwitchboardClient {
  const socket = io(url, { transports: ['websocket'], auth: { token: opts.token }, ...opts.socket });
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // A handshake the server refuses with REDIS_UNAVAILABLE (Redis down or failing over: the 503 of the
  // socket API) is tried again a moment later. Socket.IO itself never retries a handshake the
  // server refused, so without this a client reconnecting during a failover stayed offline.
  // Any other refusal (a bad or revoked token) is final.
  let retryMs = RETRY_MS.first;
  let closed = false;
  socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    if (!RETRYABLE.has(err.data?.code ?? '') || closed) return;
    setTimeout(
      () => {
        if (!closed && !socket.connected) socket.connect();
      },
      retryMs * (0.8 + Math.random() * 0.4),
    );
    retryMs = Math.min(retryMs * 2, RETRY_MS.max);
  });
  socket.on('connect', () => void (retryMs = RETRY_MS.first));
  const ready = new Promise<ServerPayload<'session.snapshot'>>((resolve, reject) => {
    socket.once('session.snapshot', resolve);
    const onError = (err: Error & { data?: { code?: string; message?: string } }) => {
      if (RETRYABLE.has(err.data?.code ?? '')) return; // tried again (above)
      socket.off('connect_error', onError);
      reject(new SwitchboardError(err.data?.code ?? 'CONNECT_FAILED', err.data?.message ?? err.message));
    };
    socket.on('connect_error', onError);
    socket.once('session.snapshot', () => socket.off('connect_error', onError));
  });
  const onEvent = (event: string, fn: (payload: unknown) => void) => {
    socket.on(event, fn);
    return () => void socket.off(event, fn);
  };
  return {
    socket,
    ready,
    async request(event, payload) {
      const result = (await socket.timeout(timeoutMs).emitWithAck(event, payload)) as AckResult<ClientResponse<typeof event>>;
      if (result.ok) return result.data;
      throw new SwitchboardError(result.error.code, result.error.message);
    },
    on: (event, fn) => onEvent(event, fn as (p: unknown) => void),
    onEvent,
    close: () => {
      closed = true;
      socket.close();
    },
  };
}
