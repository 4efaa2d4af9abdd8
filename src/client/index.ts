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

export function connectClient(url: string, opts: ClientOptions): SwitchboardClient {
  const socket = io(url, { transports: ['websocket'], auth: { token: opts.token }, ...opts.socket });
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const ready = new Promise<ServerPayload<'session.snapshot'>>((resolve, reject) => {
    socket.once('session.snapshot', resolve);
    socket.once('connect_error', (err: Error & { data?: { code?: string; message?: string } }) =>
      reject(new SwitchboardError(err.data?.code ?? 'CONNECT_FAILED', err.data?.message ?? err.message)),
    );
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
    close: () => void socket.close(),
  };
}
