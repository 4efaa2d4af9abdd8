// Seed 001 (voice-conference plugin) as documented: POST with a JSON body on root paths
// (/getUser, /getConf, /getUserConfs, /getConfUsers, /createConf, /stopConf, /joinConf,
// /inviteConf, /callAllConf, /quitConf, /muteConf, /unmuteConf, /pwdConf, /sendNotice),
// case-sensitive. Translation only: parse → services.conferences → the seed's answer, so a
// request here and the same request on /v1/conferences leave the same state.
//
// Envelope: HTTP 200 with the seed's fields and `status: 1`, or
// `{status: 0, code, reason}` — `code` from the native error table (docs/architecture.md#errors),
// `reason` a sentence saying what was wrong (sendNotice adds `invalid: [numbers]`).
// Auth (the seed names none): `Authorization: Bearer <user token>` — the acting user (the
// body's `uid`, or `id` where the seed names the user so) must be the token's user — or
// `Authorization: Basic base64(appid:secret)` from the app's backend, acting as any user of
// the app. The body's `appid` must be the authenticated app. Anything else: status 0.
import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { Auth } from '../../modules/accounts/auth-plugin.js';
import { AppError, isAppError } from '../../infra/errors.js';
import type { RoutePlugin } from '../../modules/deps.js';
import { check } from '../../infra/validation.js';
import { answerErrorsWith, command, readBodiesAsText, runCommand, type Command } from '../kit.js';
import { UserIdSchema } from '../../modules/accounts/schemas.js';
import { ConfIdSchema, PhoneNumberSchema, type ParticipantInputT } from '../../modules/conferences/schemas.js';
import { beijingTime, type Actor } from '../../modules/conferences/service.js';
import type { ConferenceViewT } from '../../modules/conferences/schemas.js';
import type { Services } from '../../services.js';
import { ConfIdBody, ControlBody, CreateConfBody, GetUserBody, LegsBody, NoticeBody, PeopleBody, PwdBody, UserConfsBody } from './schemas.js';

export const STATUS_OK = 1;
export const STATUS_FAILED = 0;

/** The failure answer: the native code and a reason; a 5xx never shows internals. */
export function failure(err: unknown): Record<string, unknown> {
  if (isAppError(err) && err.status < 500) {
    const invalid = (err.details as { invalid?: unknown } | undefined)?.invalid;
    return { status: STATUS_FAILED, code: err.code, reason: err.message, ...(Array.isArray(invalid) ? { invalid } : {}) };
  }
  if (isAppError(err)) return { status: STATUS_FAILED, code: err.code, reason: err.code === 'INTERNAL' ? 'internal error' : err.message };
  return { status: STATUS_FAILED, code: 'INTERNAL', reason: 'internal error' };
}

interface Caller {
  appid: string;
  /** The token's user; absent with the app secret. */
  uid?: string;
}

interface Ctx {
  services: Services;
  caller: Caller;
}

/** An id of the seed (string or number) as a user id. */
function userId(v: unknown, field: string): string {
  const s = String(v);
  if (!check(UserIdSchema, s)) throw new AppError('VALIDATION_FAILED', `invalid ${field}: "${s}" is not a user id (1–64 of A–Z a–z 0–9 _ . @ + -)`);
  return s;
}

function confId(v: unknown): string {
  const s = String(v);
  if (!check(ConfIdSchema, s)) throw new AppError('CONFERENCE_NOT_FOUND', `no conference ${s}`);
  return s;
}

/** The body's appid must be the authenticated app. */
function sameApp(ctx: Ctx, body: { appid: string | number }): void {
  const given = String(body.appid);
  if (given !== ctx.caller.appid) throw new AppError('CROSS_TENANT', `appid ${given} is not the authenticated app (${ctx.caller.appid})`);
}

/** The acting user named in `field`: the token's user, or any user of the app with the app secret. */
function acting(ctx: Ctx, body: { uid?: string | number; id?: string | number }, field: 'uid' | 'id'): string {
  const uid = userId(body[field], field);
  if (ctx.caller.uid !== undefined && uid !== ctx.caller.uid)
    throw new AppError('FORBIDDEN', `${field}=${uid} is not the user of this token (${ctx.caller.uid})`);
  return uid;
}

/** A reader: the token's user, or the app itself. */
const reader = (ctx: Ctx): Actor => (ctx.caller.uid !== undefined ? { kind: 'user', uid: ctx.caller.uid } : { kind: 'app' });

/** The seed's conference record (getConf; getUserConfs without pwd). */
function seedConf(c: ConferenceViewT, withPwd: boolean) {
  return {
    id: c.confId,
    uid: c.uid,
    appid: c.appid,
    vid: c.vid,
    name: c.name,
    time: beijingTime(c.startAt),
    ...(withPwd ? { pwd: c.pwd ?? '' } : {}),
    ctime: beijingTime(c.createdAt),
  };
}

function people(users: Array<{ id?: unknown; number?: unknown; name?: unknown }>): ParticipantInputT[] {
  return users.map((u, i) => {
    const id = u.id !== undefined && u.id !== '' ? userId(u.id, `users.${i}.id`) : undefined;
    const number = u.number !== undefined && String(u.number).trim() !== '' ? String(u.number).replace(/[\s-]/g, '') : undefined;
    if (number !== undefined && !check(PhoneNumberSchema, number))
      throw new AppError('INVALID_NUMBER', `invalid users.${i}.number: "${String(u.number)}" is not a phone number (digits, optional leading +)`, {
        invalid: [String(u.number)],
      });
    if (id === undefined && number === undefined) throw new AppError('VALIDATION_FAILED', `invalid users.${i}: an id or a number is required`);
    const name = u.name !== undefined && String(u.name) !== '' ? String(u.name) : undefined;
    return { ...(id !== undefined ? { id } : {}), ...(number !== undefined ? { number } : {}), ...(name !== undefined ? { name } : {}) };
  });
}

type SeedCommand = Command<Ctx, Record<string, unknown>>;
const cmd = <S extends TSchema>(schema: S, run: (ctx: Ctx, body: Static<S>) => Promise<Record<string, unknown>>): SeedCommand => command(schema, run);

async function control(ctx: Ctx, body: Static<typeof LegsBody>, op: 'kick' | 'mute' | 'unmute'): Promise<Record<string, unknown>> {
  sameApp(ctx, body);
  const uid = acting(ctx, body, 'uid');
  const callids = body.users.map((u) => u.callid);
  await ctx.services.conferences.control(ctx.caller.appid, confId(body.id), { kind: 'user', uid }, op, callids);
  return {};
}

const COMMANDS: Record<string, SeedCommand> = {
  '/getUser': cmd(GetUserBody, async (ctx, body) => {
    sameApp(ctx, body);
    const id = acting(ctx, body, 'id');
    return { user: await ctx.services.conferences.subAccount(ctx.caller.appid, id) };
  }),
  '/getConf': cmd(ConfIdBody, async (ctx, body) => {
    const c = await ctx.services.conferences.get(ctx.caller.appid, confId(body.id), reader(ctx));
    return seedConf(c, true);
  }),
  '/getUserConfs': cmd(UserConfsBody, async (ctx, body) => {
    sameApp(ctx, body);
    const uid = acting(ctx, body, 'id');
    return { confs: (await ctx.services.conferences.listByCreator(ctx.caller.appid, uid)).map((c) => seedConf(c, false)) };
  }),
  '/getConfUsers': cmd(ConfIdBody, async (ctx, body) => {
    const r = await ctx.services.conferences.participants(ctx.caller.appid, confId(body.id), reader(ctx));
    return {
      id: r.confId,
      // callid only for state 1 and 2, as the seed says.
      users: r.participants.map((p) => ({
        ...(p.state !== 0 && p.callid ? { callid: p.callid } : {}),
        id: p.id ?? '',
        number: p.number ?? '',
        name: p.name ?? '',
        state: p.state,
      })),
    };
  }),
  '/createConf': cmd(CreateConfBody, async (ctx, body) => {
    sameApp(ctx, body);
    const uid = acting(ctx, body, 'id');
    const c = await ctx.services.conferences.create(ctx.caller.appid, uid, {
      name: body.name,
      time: body.time ?? null,
      pwd: body.pwd ?? '',
    });
    return { id: c.confId, vid: c.vid };
  }),
  '/stopConf': cmd(ControlBody, async (ctx, body) => {
    sameApp(ctx, body);
    await ctx.services.conferences.stop(ctx.caller.appid, confId(body.id), { kind: 'user', uid: acting(ctx, body, 'uid') });
    return {};
  }),
  '/joinConf': cmd(PeopleBody, async (ctx, body) => {
    sameApp(ctx, body);
    await ctx.services.conferences.add(ctx.caller.appid, confId(body.id), { kind: 'user', uid: acting(ctx, body, 'uid') }, people(body.users), false);
    return {};
  }),
  '/inviteConf': cmd(PeopleBody, async (ctx, body) => {
    sameApp(ctx, body);
    await ctx.services.conferences.add(ctx.caller.appid, confId(body.id), { kind: 'user', uid: acting(ctx, body, 'uid') }, people(body.users), true);
    return {};
  }),
  '/callAllConf': cmd(ControlBody, async (ctx, body) => {
    sameApp(ctx, body);
    await ctx.services.conferences.callAll(ctx.caller.appid, confId(body.id), { kind: 'user', uid: acting(ctx, body, 'uid') });
    return {};
  }),
  '/quitConf': cmd(LegsBody, (ctx, body) => control(ctx, body, 'kick')),
  '/muteConf': cmd(LegsBody, (ctx, body) => control(ctx, body, 'mute')),
  '/unmuteConf': cmd(LegsBody, (ctx, body) => control(ctx, body, 'unmute')),
  '/pwdConf': cmd(PwdBody, async (ctx, body) => {
    sameApp(ctx, body);
    await ctx.services.conferences.setPassword(ctx.caller.appid, confId(body.id), { kind: 'user', uid: acting(ctx, body, 'uid') }, body.pwd ?? '');
    return {};
  }),
  '/sendNotice': cmd(NoticeBody, async (ctx, body) => {
    await ctx.services.conferences.sendNotice(ctx.caller.appid, { mps: body.mps });
    return {};
  }),
};

/** The seed's root paths (tests check they meet no other route). */
export const SEED_001_PATHS = Object.keys(COMMANDS);

async function authenticate(auth: Auth, req: FastifyRequest): Promise<Caller> {
  const c = await auth.appOrUser(req);
  return c.kind === 'app' ? { appid: c.app.appid } : { appid: c.session.appid, uid: c.session.uid };
}

export const conferenceDialect: RoutePlugin = async (app, { services, auth }) => {
  // The legacy client posts JSON, whatever content type it names; an empty body is {}.
  readBodiesAsText(app);
  answerErrorsWith(
    app,
    (err) => {
      const answer = failure(err);
      return { body: answer, log: answer.code === 'INTERNAL' };
    },
    { logMessage: 'conference dialect request failed' },
  );

  for (const [url, command] of Object.entries(COMMANDS)) {
    app.post(url, { schema: { hide: true } }, async (req, reply) => {
      // Credentials first: an unauthenticated caller learns nothing about the body.
      const caller = await authenticate(auth, req);
      const raw = typeof req.body === 'string' ? req.body.trim() : '';
      let json: unknown = {};
      if (raw !== '') {
        try {
          json = JSON.parse(raw);
        } catch {
          throw new AppError('BAD_JSON', 'the body is not JSON');
        }
      }
      const data = await runCommand(command, { services, caller }, json ?? {}, `${url.slice(1)} request`);
      return reply.send({ status: STATUS_OK, ...data });
    });
  }
};
