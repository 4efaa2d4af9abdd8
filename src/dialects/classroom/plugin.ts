// Seed 002 (随心播教育) as documented: POST index.php?svc=…&cmd=… with a JSON body
// carrying timeStamp and appid (the app's Tencent SdkAppID), answered with HTTP 200 and
// {errorCode, errorInfo, data?}. Translation only: parse → services → legacy answer, so a
// request here and the same request on /v1 leave the same state.
//
// Encapsulated plugin: its own body parser (any content type, parsed here so bad JSON is
// 10002 in the envelope) and its own error handler (never the native error body).
//
// Envelope: the seed's examples spell the message field `errorInfo`, its table `errInfo`;
// both are sent with the same text so clients written against either work.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { AppError, type ErrorCode } from '../../infra/errors.js';
import type { RoutePlugin } from '../../modules/deps.js';
import type { AppRecord, UserSession } from '../../modules/accounts/service.js';
import type { Services } from '../../services.js';
import { answerErrorsWith, command, readBodiesAsText, readJsonObject, type Command } from '../kit.js';
import { parse } from '../../infra/validation.js';
import { SEED_OK, seedError } from './codes.js';
import {
  CosSignReq,
  CreateReq,
  LoginReq,
  PagedRoomReq,
  RegistReq,
  ReportBindReq,
  ReportGroupReq,
  ReportMemReq,
  RoomListReq,
  RoomReq,
  TokenReq,
  VodReq,
} from './schemas.js';

interface Ctx {
  services: Services;
  app: AppRecord;
  /** The token's session (commands with `token`), checked to belong to `app`. */
  session: UserSession;
  /** The request (the login counts failed passwords against it: infra/credential-guard.ts). */
  req: FastifyRequest;
}

interface CommandOptions {
  /** false: no token field (regist, login). */
  token: boolean;
  /** Per-command code overrides (logout: an already revoked token is 10008 重复退出). */
  codes?: Partial<Record<ErrorCode, number>>;
}

/** A command: resolves to `data`, or undefined when the seed answers without data. */
type SeedCommand = Command<Ctx, unknown> & CommandOptions;

const seedCommand = <S extends TSchema>(schema: S, opts: CommandOptions, run: (ctx: Ctx, body: Static<S>) => Promise<unknown>): SeedCommand => ({
  ...command(schema, run),
  ...opts,
});

/** The common fields every command's schema has (schemas.ts withCommon), and `token` where the command takes one. */
interface CommonFields {
  appid: number;
  token?: string;
}

/** Seed pwd: base64 of the password. Native and dialect users share the decoded password. */
function decodePwd(pwd: string): string {
  const raw = Buffer.from(pwd.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  if (!raw) throw new AppError('VALIDATION_FAILED', 'invalid request: pwd: is not base64 of a password');
  return raw;
}

const COMMANDS: Record<string, SeedCommand> = {
  // ── account ─────────────────────────────────────────────────────────────────
  'account.regist': seedCommand(RegistReq, { token: false }, async ({ services, app }, body) => {
    await services.classroom.register(app.appid, { id: body.id, password: decodePwd(body.pwd), role: body.role === 1 ? 'teacher' : 'student' });
    return undefined;
  }),
  'account.login': seedCommand(LoginReq, { token: false }, async ({ services, app, req }, body) => {
    const r = await req.server.guardCredentials(req, { appid: app.appid, account: body.id }, () =>
      services.classroom.login(app.appid, body.id, decodePwd(body.pwd)),
    );
    return { userSig: r.userSig, token: r.token, role: r.role };
  }),
  'account.logout': seedCommand(
    TokenReq,
    { token: true, codes: { TOKEN_REVOKED: 10008 } },
    async ({ services, session }) => void (await services.classroom.logout(session)),
  ),

  // ── live: courses ───────────────────────────────────────────────────────────
  'live.create': seedCommand(CreateReq, { token: true }, async ({ services, app, session }, body) => {
    const c = await services.classroom.create(app.appid, session.uid, {
      title: body.title,
      ...(body.cover !== undefined ? { cover: body.cover } : {}),
    });
    return { roomnum: c.roomnum, groupid: c.groupid };
  }),
  'live.startcourse': seedCommand(
    RoomReq,
    { token: true },
    async ({ services, app, session }, body) => void (await services.classroom.start(app.appid, session.uid, body.roomnum)),
  ),
  'live.exitroom': seedCommand(
    RoomReq,
    { token: true },
    async ({ services, app, session }, body) => void (await services.classroom.exit(app.appid, session.uid, body.roomnum)),
  ),
  'live.heartbeat': seedCommand(
    RoomReq,
    { token: true },
    async ({ services, app, session }, body) => void (await services.classroom.heartbeat(app.appid, session.uid, body.roomnum)),
  ),
  'live.roomlist': seedCommand(RoomListReq, { token: true }, async ({ services, app }, body) =>
    services.classroom.list(app.appid, {
      index: body.index,
      size: body.size,
      ...(body.roomnum !== undefined ? { roomnum: body.roomnum } : {}),
      ...(body.from_time !== undefined ? { from_time: body.from_time } : {}),
      ...(body.to_time !== undefined ? { to_time: body.to_time } : {}),
      ...(body.host_uid !== undefined ? { host_uid: body.host_uid } : {}),
      ...(body.state !== undefined ? { state: body.state } : {}),
    }),
  ),
  'live.reportmemid': seedCommand(ReportMemReq, { token: true }, async ({ services, app, session }, body) => {
    if (body.operate === 0) {
      await services.classroom.enter(app.appid, session.uid, body.roomnum);
      return undefined;
    }
    const r = await services.classroom.leave(app.appid, session.uid, body.roomnum);
    if (!r.left) throw new AppError('NOT_IN_ROOM', `${session.uid} is not in room ${body.roomnum}`);
    return undefined;
  }),
  'live.roomidlist': seedCommand(PagedRoomReq, { token: true }, async ({ services, app }, body) =>
    services.classroom.members(app.appid, body.roomnum, body.index, body.size),
  ),
  'live.reportbind': seedCommand(ReportBindReq, { token: true }, async ({ services, app, session }, body) => {
    const f = body.bind_file;
    await services.classroom.bind(
      app.appid,
      session.uid,
      body.roomnum,
      { type: f.type, file_name: f.file_name, url: f.url },
      body.operate === 0 ? 'bind' : 'unbind',
    );
    return undefined;
  }),
  'live.querybind': seedCommand(PagedRoomReq, { token: true }, async ({ services, app }, body) =>
    services.classroom.binds(app.appid, body.roomnum, body.index, body.size),
  ),
  'live.reportgroupid': seedCommand(
    ReportGroupReq,
    { token: true },
    async ({ services, app, session }, body) => void (await services.rooms.setGroupId(app.appid, String(body.roomnum), session.uid, body.groupid)),
  ),

  // ── media (module media) ────────────────────────────────────────────────────
  'cos.get_sign': seedCommand(CosSignReq, { token: true }, async ({ services, app }, body) => {
    const r = await services.media.cosSign(app.appid, {
      single: body.type === 1,
      ...(body.bucket !== undefined ? { bucket: body.bucket } : {}),
      ...(body.file_path !== undefined ? { filePath: body.file_path } : {}),
    });
    return { sign: r.sign, bucket: r.bucket, region: r.region, preview_tag: r.previewTag };
  }),
  'vod.get_sign': seedCommand(VodReq, { token: true }, async ({ services, app }, body) => {
    const r = await services.media.vodSign(app.appid, { method: body.method, host: body.host, path: body.path, params: body.params });
    return { sign: r.sign, SecretId: r.secretId, SignatureMethod: r.signatureMethod };
  }),
  'vod.cmd_proxy': seedCommand(
    VodReq,
    { token: true },
    async ({ services, app }, body) =>
      (await services.media.vodProxy(app.appid, { method: body.method, host: body.host, path: body.path, params: body.params })).data,
  ),
  'vod.get_client_sign': seedCommand(TokenReq, { token: true }, async ({ services, app }) => {
    const r = await services.media.vodClientSign(app.appid);
    return { sign: r.sign, SecretId: r.secretId };
  }),
};

/** The vendor's callbacks: no common fields, no token; verified by their sign; answered {code:0}. */
const CALLBACKS: Record<string, 'recording' | 'index'> = {
  'live.recendcall': 'recording',
  'live.idxfileendcall': 'index',
};

function envelope(errorCode: number, errorInfo: string, data?: unknown) {
  return { errorCode, errorInfo, errInfo: errorInfo, ...(data !== undefined ? { data } : {}) };
}

export const classroomDialect: RoutePlugin = async (app, { services }) => {
  // Bodies are read as text whatever the content type (the PHP original read php://input).
  readBodiesAsText(app);
  answerErrorsWith(
    app,
    (err, thrown) => {
      const { errorCode, errorInfo } = seedError(err);
      return { body: envelope(errorCode, errorInfo), log: errorCode === 90000 && !(thrown instanceof AppError) };
    },
    { logMessage: 'index.php request failed' },
  );

  async function handle(req: FastifyRequest, reply: FastifyReply) {
    const q = req.query as Record<string, unknown>;
    const name = `${String(q.svc ?? '')}.${String(q.cmd ?? '')}`;
    const callback = CALLBACKS[name];
    const command = COMMANDS[name];
    if (!callback && !command) return reply.send(envelope(10001, `unknown command svc=${String(q.svc ?? '')}&cmd=${String(q.cmd ?? '')}`));
    if (req.method !== 'POST') return reply.send(envelope(10001, 'use POST'));

    if (callback) {
      // The vendor's own format: {code: 0} once verified and queued. The URL may name the
      // app (appid=<SdkAppID or app id>) so that app's callback key is used.
      try {
        const body = readJsonObject(req.body);
        const given = typeof q.appid === 'string' ? q.appid : undefined;
        const appid = given && /^\d+$/.test(given) ? (await services.accounts.getAppBySdkAppId(Number(given))).appid : given;
        await services.media.recordingCallback(body, { kind: callback, ...(appid !== undefined ? { appid } : {}) });
        return reply.send({ code: 0 });
      } catch (err) {
        const { errorCode, errorInfo } = seedError(err);
        return reply.send({ code: errorCode, ...envelope(errorCode, errorInfo) });
      }
    }

    try {
      const body = parse(command!.schema, readJsonObject(req.body), `${name} request`);
      const { appid, token } = body as CommonFields;
      const tenant = await services.accounts.getAppBySdkAppId(appid);
      let session = undefined as unknown as UserSession;
      if (command!.token) {
        session = await services.accounts.authenticate(token as string);
        if (session.appid !== tenant.appid) throw new AppError('CROSS_TENANT', `this token is not for SdkAppID ${appid}`);
      }
      const data = await command!.run({ services, app: tenant, session, req }, body);
      return reply.send(envelope(SEED_OK, '', data));
    } catch (err) {
      const { errorCode, errorInfo } = seedError(err, command!.codes);
      if (errorCode === 90000 && !(err instanceof AppError)) req.log.error({ err, command: name }, 'index.php command failed');
      return reply.send(envelope(errorCode, errorInfo));
    }
  }

  app.route({ method: ['GET', 'POST'], url: '/index.php', schema: { hide: true }, handler: handle });
};
