// Seed 000 (interpreter call centre on Tencent QAV) as documented: GET requests with query
// parameters — /volunteer/online|offline|qav_request, /conversation/begin|end,
// /charge/begin|update|end|confirm, /feedback — and the qav=true extension of the legacy
// logins user/user_login.php and volunteer_login.php. Translation only: parse → services
// → answer, so a request here and the same request on /v1 leave the same state.
//
// Envelope (the seed shows no bodies): HTTP 200 with `{status: 1, …fields}` or
// `{status: 0, error: {code, message}}` (codes: codes.ts). Identity: the calls carry a user
// id (loginid, loginin, agent_emp_id) but no credential, so each takes the user's login
// token — `Authorization: Bearer <token>` or a `token` query parameter — and the ids it
// names must be the token's user (the caller or agent of the conversation it names);
// anything else is refused with status 0. Only the logins go without a token.
import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { parseAuthorization } from '../../infra/auth.js';
import { AppError } from '../../infra/errors.js';
import type { RoutePlugin } from '../../modules/deps.js';
import type { UserSession } from '../../modules/accounts/service.js';
import type { RequestViewT } from '../../modules/dispatch/schemas.js';
import type { Services } from '../../services.js';
import { answerErrorsWith, command, readBodiesAsText, type Command } from '../kit.js';
import { STATUS_FAILED, STATUS_OK, dialectError } from './codes.js';
import { BeginQuery, ChargeLengthQuery, ConversationQuery, FeedbackQuery, LoginQuery, LoginidQuery, QavRequestQuery } from './schemas.js';

interface Ctx {
  services: Services;
  /** The token's session (every command but the logins). */
  session: UserSession;
  /** The request (the logins count failed passwords against it: infra/credential-guard.ts). */
  req: FastifyRequest;
}

type CallCentreCommand = Command<Ctx, Record<string, unknown>> & {
  /** false: the logins (password instead of a token). */
  token: boolean;
};

/** A command taking the login token, its query typed by `schema`. */
const withToken = <S extends TSchema>(schema: S, run: (ctx: Ctx, q: Static<S>) => Promise<Record<string, unknown>>): CallCentreCommand => ({
  ...command(schema, run),
  token: true,
});

/** The seed's ids must be the token's user. */
function mustBe(session: UserSession, id: string, param: string): void {
  if (id !== session.uid) throw new AppError('FORBIDDEN', `${param}=${id} is not the user of this token`);
}

/** The conversation, which the token's user must be a party of (as `role` when given). */
async function party(ctx: Ctx, conversationId: string, role?: 'caller' | 'agent'): Promise<RequestViewT> {
  const conv = await ctx.services.dispatch.get(ctx.session.appid, conversationId);
  const uid = ctx.session.uid;
  const ok = role === 'caller' ? conv.caller === uid : role === 'agent' ? conv.agent === uid : conv.caller === uid || conv.agent === uid;
  if (!ok) throw new AppError('FORBIDDEN', `the user of this token is not the ${role ?? 'caller or agent'} of conversation ${conv.requestId}`);
  return conv;
}

function agentAnswer(a: { uid: string; state: string; skills: string[]; capacity: number }) {
  return { loginid: a.uid, state: a.state, skills: a.skills, capacity: a.capacity };
}

function chargeAnswer(c: {
  callId: string;
  state: string;
  units: number;
  amount: number;
  elapsedMs: number;
  reportedSeconds?: number;
  diffSeconds?: number;
}) {
  return {
    conversation_id: c.callId,
    state: c.state,
    units: c.units,
    amount: c.amount,
    elapsed: Math.floor(c.elapsedMs / 1000),
    ...(c.reportedSeconds !== undefined ? { charge_length: c.reportedSeconds } : {}),
    ...(c.diffSeconds !== undefined ? { diff: c.diffSeconds } : {}),
  };
}

/** Billing's price key of a conversation's skill: CN>EN → CN-EN (a token skill as is). */
const priceKeyOf = (skill: string) => (/^[A-Za-z0-9_]+(>[A-Za-z0-9_]+)?$/.test(skill) ? skill.replace('>', '-') : undefined);

async function login({ services, req }: Ctx, q: Static<typeof LoginQuery>, appid: string | undefined): Promise<Record<string, unknown>> {
  if (!appid) throw new AppError('VALIDATION_FAILED', 'invalid login request: appid: is required (no CALLCENTRE_APPID is configured)');
  const s = await req.server.guardCredentials(req, { appid, account: q.loginid }, () => services.accounts.login(appid, q.loginid, q.password));
  const qav = q.qav === true ? await services.signals.credentials(appid, s.user.id) : null;
  return {
    loginid: s.user.id,
    token: s.token,
    expires_at: s.expiresAt,
    role: s.user.role,
    ...(qav ? { qav_id: qav.qav_id, qav_sig: qav.qav_sig } : {}),
  };
}

export const callcentreDialect: RoutePlugin = async (app, { services, core }) => {
  const LOGIN: CallCentreCommand = {
    ...command(LoginQuery, (ctx: Ctx, q) => login(ctx, q, q.appid ?? core.config.CALLCENTRE_APPID)),
    token: false,
  };

  const COMMANDS: Record<string, CallCentreCommand> = {
    // ── the legacy logins, extended with qav=true (README: password as given) ──
    '/tttalk150806/user/user_login.php': LOGIN,
    '/user/user_login.php': LOGIN,
    '/tttalk.web/v3.1/volunteer_login.php': LOGIN,
    '/volunteer_login.php': LOGIN,

    // ── agents ──────────────────────────────────────────────────────────────────
    '/volunteer/online': withToken(LoginidQuery, async ({ services, session }, q) => {
      mustBe(session, q.loginid, 'loginid');
      return agentAnswer(await services.presence.set(session.appid, session.uid, { state: 'online' }));
    }),
    '/volunteer/offline': withToken(LoginidQuery, async ({ services, session }, q) => {
      mustBe(session, q.loginid, 'loginid');
      return agentAnswer(await services.presence.set(session.appid, session.uid, { state: 'offline' }));
    }),
    '/volunteer/qav_request': withToken(QavRequestQuery, async ({ services, session }, q) => {
      mustBe(session, q.loginin, 'loginin');
      const lang1 = String(q.lang1).toUpperCase();
      const lang2 = String(q.lang2).toUpperCase();
      const r = await services.dispatch.create(session.appid, session.uid, { skill: `${lang1}>${lang2}` });
      return { conversation_id: r.requestId, lang1, lang2, state: r.state, expires_at: r.expiresAt };
    }),

    // ── conversations ───────────────────────────────────────────────────────────
    '/conversation/begin': withToken(BeginQuery, async ({ services, session }, q) => {
      const c = await services.dispatch.begin(session.appid, q.conversation_id, session.uid, q.agent_emp_id, { acceptOffer: true });
      return { conversation_id: c.requestId, agent_emp_id: c.agent, caller: c.caller, state: c.state, started_at: c.startedAt };
    }),
    '/conversation/end': withToken(ConversationQuery, async (ctx, q) => {
      const conv = await party(ctx, q.conversation_id);
      const c = await ctx.services.dispatch.end(ctx.session.appid, conv.requestId, ctx.session.uid, '');
      return {
        conversation_id: c.requestId,
        state: c.state,
        ended_at: c.endedAt,
        duration: c.startedAt && c.endedAt ? Math.floor((c.endedAt - c.startedAt) / 1000) : 0,
      };
    }),

    // ── charging (module billing): the caller pays the agent ───────────────────
    '/charge/begin': withToken(ConversationQuery, async (ctx, q) => {
      const conv = await party(ctx, q.conversation_id);
      if (!conv.agent || conv.state === 'waiting')
        throw new AppError('CONVERSATION_NOT_ACCEPTED', `no agent has accepted request ${conv.requestId} yet`);
      if (conv.state !== 'accepted' && conv.state !== 'active')
        throw new AppError('CONVERSATION_ENDED', `conversation ${conv.requestId} is ${conv.state}`);
      const key = priceKeyOf(conv.skill);
      const c = await ctx.services.billing.begin(ctx.session.appid, {
        callId: conv.requestId,
        payer: conv.caller,
        payee: conv.agent,
        ...(key ? { priceKey: key } : {}),
      });
      return { ...chargeAnswer(c), balance: await ctx.services.billing.balance(ctx.session.appid, conv.caller) };
    }),
    '/charge/update': withToken(ChargeLengthQuery, async (ctx, q) => {
      const conv = await party(ctx, q.conversation_id, 'agent');
      return chargeAnswer(await ctx.services.billing.update(ctx.session.appid, conv.requestId, q.charge_length));
    }),
    '/charge/end': withToken(ChargeLengthQuery, async (ctx, q) => {
      const conv = await party(ctx, q.conversation_id, 'agent');
      return chargeAnswer(await ctx.services.billing.end(ctx.session.appid, conv.requestId, { reportedSeconds: q.charge_length, reason: 'payee' }));
    }),
    '/charge/confirm': withToken(ConversationQuery, async (ctx, q) => {
      const conv = await party(ctx, q.conversation_id, 'caller');
      const c = await ctx.services.billing.confirm(ctx.session.appid, conv.requestId, ctx.session.uid);
      return { ...chargeAnswer(c), balance: await ctx.services.billing.balance(ctx.session.appid, conv.caller) };
    }),

    // ── feedback: user_* from the caller, translator_* from the agent ───────────
    '/feedback': withToken(FeedbackQuery, async ({ services, session }, q) => {
      const user = q.user_network_star !== undefined || q.user_translate_star !== undefined;
      const translator = q.translator_network_star !== undefined || q.translator_translate_star !== undefined;
      if (user === translator)
        throw new AppError(
          'VALIDATION_FAILED',
          'invalid feedback request: give either user_network_star and user_translate_star, or translator_network_star and translator_translate_star',
        );
      const p = user ? 'user' : 'translator';
      const network = q[`${p}_network_star` as const];
      const translation = q[`${p}_translate_star` as const];
      if (network === undefined || translation === undefined)
        throw new AppError(
          'VALIDATION_FAILED',
          `invalid feedback request: ${p}_${network === undefined ? 'network' : 'translate'}_star: is required`,
        );
      const r = await services.feedback.give(session.appid, q.conversation_id, session.uid, {
        network,
        translation,
        side: user ? 'caller' : 'agent',
      });
      return {
        conversation_id: r.conversationId,
        side: p,
        network_star: r.network,
        translate_star: r.translation,
        ...(r.agentRating !== undefined ? { translator_rating: r.agentRating } : {}),
      };
    }),
  };

  // The original read query strings only: any body (of any type) is ignored.
  readBodiesAsText(app);
  answerErrorsWith(
    app,
    (err) => {
      const error = dialectError(err);
      return { body: { status: STATUS_FAILED, error }, log: error.code === 'INTERNAL' };
    },
    { logMessage: 'call-centre request failed' },
  );

  async function authenticate(req: FastifyRequest): Promise<UserSession> {
    const a = parseAuthorization(req.headers.authorization);
    const given = (req.query as { token?: unknown }).token;
    const token = a?.scheme === 'bearer' ? a.token : typeof given === 'string' ? given : undefined;
    if (!token) throw new AppError('AUTH_REQUIRED', 'pass the login token: Authorization: Bearer <token>, or token=<token>');
    return services.accounts.authenticate(token);
  }

  for (const [url, command] of Object.entries(COMMANDS)) {
    app.route({
      method: ['GET', 'POST'],
      url,
      schema: { hide: true, querystring: command.schema },
      handler: async (req, reply) => {
        const session = command.token ? await authenticate(req) : (undefined as unknown as UserSession);
        // The query was validated against command.schema by the route.
        const data = await command.run({ services, session, req }, req.query);
        return reply.send({ status: STATUS_OK, ...data });
      },
    });
  }
};
