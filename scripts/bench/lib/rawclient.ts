// A minimal Socket.IO v5 / Engine.IO v4 client over a raw WebSocket, for load only:
// thousands of these fit in one process where socket.io-client would be the bottleneck.
// Speaks just what the benchmarks need: connect with auth, acked events, server events.
// Its surface is typed by the event catalogue, like the typed client (src/client).
import WebSocket from 'ws';
import type { AckResult, ClientEventName, ClientRequest, ClientResponse, ServerEventName, ServerPayload } from '../../../src/client/index.js';

export interface RawClient {
  ws: WebSocket;
  emitWithAck<E extends ClientEventName>(event: E, data: ClientRequest<E>): Promise<AckResult<ClientResponse<E>>>;
  /** One listener per event name (a later one replaces it). */
  on<E extends ServerEventName>(event: E, fn: (data: ServerPayload<E>) => void): void;
  /** Any other server event (an app's own pushes through notify), untyped. */
  onEvent(event: string, fn: (data: unknown) => void): void;
  close(): void;
}

export function rawConnect(baseUrl: string, auth: Record<string, unknown> | null, timeoutMs = 20_000): Promise<RawClient> {
  const url = baseUrl.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket';
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const acks = new Map<number, (data: unknown) => void>();
    const listeners = new Map<string, (data: unknown) => void>();
    let nextId = 1;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('connect timeout'));
    }, timeoutMs);
    const client: RawClient = {
      ws,
      emitWithAck<E extends ClientEventName>(event: E, data: ClientRequest<E>) {
        const id = nextId++;
        return new Promise<AckResult<ClientResponse<E>>>((res) => {
          // The server acks with the event's AckResult (its contract); not validated here.
          acks.set(id, res as (data: unknown) => void);
          ws.send(`42${id}${JSON.stringify([event, data])}`);
        });
      },
      on(event, fn) {
        listeners.set(event, fn as (data: unknown) => void);
      },
      onEvent(event, fn) {
        listeners.set(event, fn);
      },
      close() {
        ws.close();
      },
    };
    ws.on('message', (raw) => {
      const msg = raw.toString();
      const type = msg[0];
      if (type === '2') return ws.send('3'); // engine.io ping → pong
      if (type === '0') return ws.send(auth ? `40${JSON.stringify(auth)}` : '40');
      if (type !== '4') return;
      const kind = msg[1];
      if (kind === '0') {
        clearTimeout(timer);
        resolve(client);
      } else if (kind === '4') {
        clearTimeout(timer);
        reject(new Error(`refused: ${msg.slice(2)}`));
      } else if (kind === '3') {
        const m = /^43(\d+)(.*)$/s.exec(msg);
        if (!m) return;
        const fn = acks.get(Number(m[1]));
        acks.delete(Number(m[1]));
        fn?.((JSON.parse(m[2]!) as unknown[])[0]);
      } else if (kind === '2') {
        // Parsed only when listened to: a load generator hearing thousands of events a
        // second it ignores (room.member…) must not spend its core on them.
        const name = /^42\d*\["([^"\\]+)"/.exec(msg)?.[1];
        const fn = name === undefined ? undefined : listeners.get(name);
        if (fn) fn((JSON.parse(msg.slice(2).replace(/^\d+/, '')) as [string, unknown])[1]);
      }
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * Every client sends an acked `session.ping` every `periodMs` (spread at random over the
 * first period) until stop(); acks are timed only between measure(true) and measure(false),
 * so a warm-up period is left out. stop() waits for the loops (one period + 2 s at most).
 */
export function pingEvery(clients: RawClient[], periodMs: number) {
  const latencies: number[] = [];
  let errors = 0;
  let running = true;
  let measuring = false;
  const loops = clients.map(async (c) => {
    await new Promise((r) => setTimeout(r, Math.random() * periodMs));
    while (running) {
      const sent = performance.now();
      const ack = await c.emitWithAck('session.ping', { t: Date.now() });
      if (measuring) {
        if (ack.ok) latencies.push(performance.now() - sent);
        else errors++;
      }
      await new Promise((r) => setTimeout(r, periodMs));
    }
  });
  return {
    measure(on: boolean) {
      measuring = on;
    },
    async stop(): Promise<{ latencies: number[]; errors: number }> {
      running = false;
      await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, periodMs + 2000))]);
      return { latencies, errors };
    },
  };
}
