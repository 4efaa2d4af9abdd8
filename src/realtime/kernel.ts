// The socket kernel: what both namespaces (`/`, realtime/gateway.ts, and `/dashboard`,
// modules/dashboard/namespace.ts) do the same way, written once — the handshake's origin
// check and error mapping, the per-socket token bucket, the ack shape
// `{ok: true, data} | {ok: false, error}`, payload validation against a contract, and the
// error an event without an ack gets. What differs stays with each namespace: who may
// connect (token or app secret), what a flood costs, and the events served.
//
// Hot path: nothing here reads Redis or allocates per event beyond what an answer needs.
import type { Namespace, Socket } from 'socket.io';
import type { Static, TSchema } from 'typebox';
import type { Config } from '../infra/config.js';
import { originAllowed } from '../infra/config.js';
import { AppError, toPublicError } from '../infra/errors.js';
import type { Logger } from 'pino';
import { parse } from '../infra/validation.js';
import type { AckResult } from './catalogue.js';

export type AckFn = (result: AckResult<unknown>) => void;
export type ErrorBody = { code: string; message: string };

/** A handshake's Origin header, when sent, must be allowed (CORS_ORIGINS): else ORIGIN_NOT_ALLOWED. */
export function checkOrigin(origins: true | string[], origin: string | undefined): void {
  if (origin && !originAllowed(origins, origin)) throw new AppError('ORIGIN_NOT_ALLOWED', `origin ${origin} is not allowed`);
}

/** A handshake refusal whose `data` is the public error body (the client's connect_error). */
export function connectError(err: unknown): Error {
  const { body } = toPublicError(err);
  return Object.assign(new Error(body.message), { data: body });
}

/**
 * The namespace's handshake: the origin check, then `authenticate`, whose result becomes
 * socket.data. A refusal reaches the client as connect_error with the public error body;
 * an unexpected error is logged under `logMessage`.
 */
export function useHandshake<D>(
  nsp: Namespace,
  opts: { origins: true | string[]; log: Logger; logMessage: string },
  authenticate: (socket: Socket) => Promise<D>,
): void {
  nsp.use(async (socket, next) => {
    try {
      checkOrigin(opts.origins, socket.handshake.headers.origin);
      socket.data = await authenticate(socket);
      next();
    } catch (err) {
      if (!(err instanceof AppError)) opts.log.error({ err }, opts.logMessage);
      next(connectError(err));
    }
  });
}

/** A fresh token bucket (full). */
export const fullBucket = (config: Pick<Config, 'SOCKET_RATE_BURST'>): [number, number, number] => [config.SOCKET_RATE_BURST, Date.now(), 0];

/** Token bucket of one socket (updated in place): tokens left, last refill (ms), strikes since it was last full; true when the event may proceed. */
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

/** The error of an event refused by the bucket. */
export const rateLimited = (config: Pick<Config, 'SOCKET_RATE_PER_SECOND'>) =>
  new AppError('RATE_LIMITED', `more than ${config.SOCKET_RATE_PER_SECOND} events/s`);

/** True once a socket's strikes reach SOCKET_FLOOD_STRIKES: the namespace closes it. */
export const flooding = (b: [number, number, number], config: Pick<Config, 'SOCKET_FLOOD_STRIKES'>) => b[2] >= config.SOCKET_FLOOD_STRIKES;

/** Takes the ack callback off an event's arguments (the last one, when it is a function). */
export function takeAck(args: unknown[]): AckFn | undefined {
  return typeof args[args.length - 1] === 'function' ? (args.pop() as AckFn) : undefined;
}

/**
 * Answers an error: `{ok: false, error}` in the ack, or — sent without one — the namespace's
 * error event `{event, code, message}` through `sendError`.
 */
export function answerError(ack: AckFn | undefined, event: string, err: unknown, sendError: (body: ErrorBody & { event: string }) => void): void {
  const { body } = toPublicError(err);
  if (ack) ack({ ok: false, error: body });
  else sendError({ event, ...body });
}

/** Validates the payload (a missing one is `{}`) against the event's request schema: VALIDATION_FAILED otherwise. */
export function readPayload<S extends TSchema>(schema: S, raw: unknown, event: string): Static<S> {
  return parse(schema, raw ?? {}, `${event} payload`) as Static<S>;
}

/** Answers a handled event: `{ok: true, data}` in the ack (nothing without one). */
export function answer(ack: AckFn | undefined, data: unknown): void {
  ack?.({ ok: true, data });
}
