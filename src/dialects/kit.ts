// What the seed dialects share: each is one encapsulated Fastify plugin that reads its
// bodies itself, answers every failure in its own envelope (never the native error body),
// and runs a table of commands, each with a TypeBox schema of its input (a query, a JSON
// body) so a command's code sees a typed value. The dialect brings its context type, its
// error mapper (error → answer) and its routes; the answers' shapes stay the dialect's own.
import type { FastifyInstance } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { AppError, countError, fromFrameworkError } from '../infra/errors.js';
import { parse } from '../infra/validation.js';

/**
 * Bodies read as text whatever the content type (the originals read the raw input), so
 * the dialect parses them itself and bad JSON is answered in its envelope.
 */
export function readBodiesAsText(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
}

export interface DialectAnswer {
  /** The dialect's failure answer, sent with HTTP 200. */
  body: unknown;
  /** true: logged as a server error (the answer itself never shows internals). */
  log: boolean;
}

/**
 * Every failure in the dialect's plugin (an unparsable body, a failed validation, a thrown
 * error) answered 200 in the dialect's shape: `toAnswer` gets the error as an AppError where
 * Fastify's own failures are concerned (fromFrameworkError) and the error as thrown.
 */
export function answerErrorsWith(
  app: FastifyInstance,
  toAnswer: (err: unknown, thrown: Error) => DialectAnswer,
  opts: { logMessage: string; count?: boolean },
): void {
  app.setErrorHandler((thrown: Error & { validation?: unknown; statusCode?: number; code?: string }, req, reply) => {
    const err = fromFrameworkError(thrown);
    if (opts.count !== false) countError(err);
    const { body, log } = toAnswer(err, thrown);
    if (log) req.log.error({ err: thrown }, opts.logMessage);
    return reply.code(200).send(body);
  });
}

/** A command of a dialect's table: its input's schema and what it does with a valid input. */
export interface Command<Ctx, Out> {
  schema: TSchema;
  /** `input` has been checked against `schema` (runCommand, or Fastify's route validation). */
  run(ctx: Ctx, input: unknown): Promise<Out>;
}

/** A command whose `run` sees its input typed by the schema. */
export function command<S extends TSchema, Ctx, Out>(schema: S, run: (ctx: Ctx, input: Static<S>) => Promise<Out>): Command<Ctx, Out> {
  return { schema, run: (ctx, input) => run(ctx, input as Static<S>) };
}

/** Validates `raw` against the command's schema (a failure names the field, `what` says of what) and runs it. */
export function runCommand<Ctx, Out>(cmd: Command<Ctx, Out>, ctx: Ctx, raw: unknown, what: string): Promise<Out> {
  return cmd.run(ctx, parse(cmd.schema, raw, what));
}

/**
 * The raw text body as one JSON object, else BAD_JSON. An empty body and a JSON `null` are
 * BAD_JSON too, or `{}` with `emptyIsObject` (seed 003, whose clients send `param: null`).
 */
export function readJsonObject(raw: unknown, opts: { emptyIsObject?: boolean } = {}): Record<string, unknown> {
  const notObject = () => new AppError('BAD_JSON', 'the body must be a JSON object');
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    if (opts.emptyIsObject) return {};
    throw notObject();
  }
  if (typeof raw !== 'string') throw notObject();
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    throw new AppError('BAD_JSON', `the body is not valid JSON: ${(err as Error).message}`);
  }
  if (body === null && opts.emptyIsObject) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw notObject();
  return body as Record<string, unknown>;
}
