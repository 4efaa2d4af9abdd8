// Seed 004 (VTC video cloud) dialect, mounted under /LiveVideoServer/ (the seed's root
// path): third-party users (§3.1), video queries (§3.2.4.2–3) and the public video and
// picture halls. Customer service (§4) is customerservice.ts. Translation only: parameters
// → services → the seed's `result` answer (JSON, or XML where the seed says XML); see common.ts.
//
//   ajx/thirdPartyRegister.do   appId, timestamp, secret, thirdPartyId, password → JSON
//   ajx/thirdPartyLogin.do      appId, thirdPartyId, password → XML (+ JSESSIONID cookie)
//   ajx/updateDeviceid.do       [user.deviceId] with the session → JSON good / init
//   logout.do                   GET → 302 to index.jsp (session revoked, its sockets closed)
//   ajx/thirdPartyManage.do     action add|mod|del|opt … → XML (one call per second per appId)
//   ajx/m_listVideoByUid.do     uid, liveFlag, appId, timestamp, secret → JSON
//   ajx/listVideoConditional.do video.groupId+secret | appId+timestamp+secret | video.author,
//                               video.liveFlag, pageNumber, pageSize → JSON
import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../infra/errors.js';
import type { RoutePlugin } from '../../modules/deps.js';
import { answerErrorsWith } from '../kit.js';
import { check, parse } from '../../infra/validation.js';
import { AppIdSchema, PasswordSchema, UserIdSchema } from '../../modules/accounts/schemas.js';
import type { VideoViewT } from '../../modules/live/schemas.js';
import { DeviceIdSchema, ThirdPartyIdSchema } from '../../modules/thirdparty/schemas.js';
import { clearSessionCookie, failure, params, sendJson, sendXml, sessionCookie, sessionToken, VTC_BASE } from './common.js';
import { publicPages } from './pages.js';
import { webSdk } from './sdk.js';

const MANAGE_WORDS = new Set(['OK', 'NotAuthenticate', 'Busy', 'Exceed', 'NotFound', 'Error']);

function field<T extends Parameters<typeof parse>[0]>(schema: T, value: string | undefined, name: string) {
  if (value === undefined || value === '') throw new AppError('VALIDATION_FAILED', `${name} is required`);
  return parse(schema, value, name);
}

function liveFlagOf(v: string | undefined, name: string): 0 | 1 | undefined {
  if (v === undefined || v === '') return undefined;
  if (v === '0' || v === '1') return Number(v) as 0 | 1;
  throw new AppError('VALIDATION_FAILED', `${name} must be 0 or 1`);
}

function pageOf(p: Record<string, string>): { pageNumber: number; pageSize: number } {
  const n = (v: string | undefined, def: number, max: number, name: string) => {
    if (v === undefined || v === '') return def;
    if (!/^\d{1,6}$/.test(v) || Number(v) < 1 || Number(v) > max)
      throw new AppError('VALIDATION_FAILED', `${name} must be an integer from 1 to ${max}`);
    return Number(v);
  };
  return { pageNumber: n(p.pageNumber, 1, 1000000, 'pageNumber'), pageSize: n(p.pageSize, 20, 200, 'pageSize') };
}

/** The list answer: the seed names no fields; these are the VideoView fields. */
const videoList = (r: { total: number; pageNumber: number; pageSize: number; videos: VideoViewT[] }) => ({
  result: 'OK',
  total: r.total,
  pageNumber: r.pageNumber,
  pageSize: r.pageSize,
  videos: r.videos,
});

export const videocloudDialect: RoutePlugin = async (app, deps) => {
  const { services, core } = deps;
  const { appAuth, thirdParty, accounts, live } = services;
  await app.register(formbody);

  const logFailure = (req: FastifyRequest, err: unknown, f: { code: string }) => {
    if (f.code === 'INTERNAL') req.log.error({ err }, 'seed-004 request failed');
  };

  // A failure anywhere (an unparsable body, an unsupported type, a handler's error) is answered
  // 200 with a `result`; only the XML routes below catch their own, for the XML shape.
  answerErrorsWith(
    app,
    (_err, thrown) => {
      const f = failure(thrown);
      return { body: { ...f }, log: f.code === 'INTERNAL' };
    },
    { logMessage: 'seed-004 request failed', count: false },
  );

  const route = (path: string, handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    app.route({ method: ['GET', 'POST'], url: `${VTC_BASE}${path}`, schema: { hide: true }, handler });

  // §3.1.1 — register with the app's signature; the JS SDK's success callback gets {userId, password}.
  route('ajx/thirdPartyRegister.do', async (req, reply) => {
    const p = params(req);
    const appRec = await appAuth.verify(p);
    const thirdPartyId = field(ThirdPartyIdSchema, p.thirdPartyId, 'thirdPartyId');
    const password = field(PasswordSchema, p.password, 'password');
    const u = await thirdParty.register(appRec.appid, thirdPartyId, password);
    return sendJson(reply, { result: 'OK', userId: u.userId, password, thirdPartyId });
  });

  // §3.1.2 — login: XML with the platform user id and the password for the web IM login; the
  // session (token) rides in the JSESSIONID cookie, and in <token> for socket clients.
  route('ajx/thirdPartyLogin.do', async (req, reply) => {
    const p = params(req);
    try {
      const appid = p.appId;
      if (!appid || !check(AppIdSchema, appid)) throw new AppError('APP_AUTH_FAILED', 'unknown appId');
      const thirdPartyId = field(ThirdPartyIdSchema, p.thirdPartyId, 'thirdPartyId');
      const password = field(PasswordSchema, p.password, 'password');
      const s = await app.guardCredentials(req, { appid, account: `3p:${thirdPartyId}` }, () => thirdParty.login(appid, thirdPartyId, password));
      reply.header('set-cookie', sessionCookie(s.token, s.expiresAt));
      return sendXml(reply, { result: 'OK', userId: s.userId, password, thirdPartyId, token: s.token, expiresAt: s.expiresAt });
    } catch (err) {
      const f = failure(err, { THIRDPARTY_ID_NOT_FOUND: 'IdNotFound' });
      logFailure(req, err, f);
      return sendXml(reply, { result: f.result, code: f.code, reason: f.reason });
    }
  });

  // §3.1.3 — the iPhone's APNS device id; without user.deviceId it is cleared.
  route('ajx/updateDeviceid.do', async (req, reply) => {
    const p = params(req);
    const token = sessionToken(req, p);
    if (!token) throw new AppError('AUTH_REQUIRED', 'not logged in');
    const s = await accounts.authenticate(token);
    const deviceId = p['user.deviceId'] ? parse(DeviceIdSchema, p['user.deviceId'], 'user.deviceId') : null;
    await thirdParty.setDevice(s.appid, s.uid, deviceId);
    return sendJson(reply, { result: 'good', deviceId });
  });

  // §3.1.4 — logout: the session is revoked (its sockets closed, on every node), the device
  // id cleared, and the browser sent to the public index page (video hall) of the app.
  app.route({
    method: ['GET', 'POST'],
    url: `${VTC_BASE}logout.do`,
    schema: { hide: true },
    handler: async (req, reply) => {
      const p = params(req);
      const token = sessionToken(req, p);
      let appid: string | undefined;
      if (token) {
        try {
          const s = await accounts.authenticate(token);
          appid = s.appid;
          await accounts.logout(s);
          await thirdParty.setDevice(s.appid, s.uid, null);
        } catch (err) {
          if (!(err instanceof AppError)) throw err; // an invalid or already revoked session: nothing to end
        }
      }
      reply.header('set-cookie', clearSessionCookie);
      return reply.redirect(`${VTC_BASE}index.jsp${appid ? `?appId=${encodeURIComponent(appid)}` : ''}`, 302);
    },
  });

  // §3.1.5 — the app's backend manages its users; opt (server time) needs no signature and is not limited.
  route('ajx/thirdPartyManage.do', async (req, reply) => {
    const p = params(req);
    const action = p.action;
    if (action === 'opt') return sendXml(reply, { result: 'OK', sysTimeStamp: Date.now() });
    try {
      if (action !== 'add' && action !== 'mod' && action !== 'del') throw new AppError('VALIDATION_FAILED', 'action must be add, mod, del or opt');
      const appRec = await appAuth.verify(p);
      if (!(await appAuth.claimSlot(appRec.appid, 'thirdPartyManage', core.config.VTC_MANAGE_INTERVAL_MS))) {
        throw new AppError('RATE_LIMITED', `at most one call per ${core.config.VTC_MANAGE_INTERVAL_MS} ms per appId`);
      }
      const thirdPartyId = field(ThirdPartyIdSchema, p.thirdPartyId, 'thirdPartyId');
      let u: { thirdPartyId: string; userId: string };
      if (action === 'add') u = await thirdParty.register(appRec.appid, thirdPartyId, field(PasswordSchema, p.password, 'password'));
      else if (action === 'del') u = await thirdParty.remove(appRec.appid, thirdPartyId);
      else {
        const hasPassword = p.password !== undefined && p.password !== '';
        const hasNewId = p.newId !== undefined && p.newId !== '';
        if (hasPassword === hasNewId) throw new AppError('VALIDATION_FAILED', 'mod takes exactly one of password and newId');
        u = await thirdParty.modify(
          appRec.appid,
          thirdPartyId,
          hasPassword ? { password: field(PasswordSchema, p.password, 'password') } : { newId: field(ThirdPartyIdSchema, p.newId, 'newId') },
        );
      }
      return sendXml(reply, { result: 'OK', sysTimeStamp: Date.now(), thirdPartyId: u.thirdPartyId, userId: u.userId });
    } catch (err) {
      const f = failure(err);
      logFailure(req, err, f);
      return sendXml(reply, { result: MANAGE_WORDS.has(f.result) ? f.result : 'Error', sysTimeStamp: Date.now(), code: f.code, reason: f.reason });
    }
  });

  // §3.2.4.2 — one user's videos, live (1) or history (0), for the app's backend.
  route('ajx/m_listVideoByUid.do', async (req, reply) => {
    const p = params(req);
    const appRec = await appAuth.verify(p, { readOnly: true }); // polled with one signed URL (轮询)
    const uid = field(UserIdSchema, p.uid, 'uid');
    const liveFlag = liveFlagOf(p.liveFlag, 'liveFlag');
    const r = await live.byUser(appRec.appid, uid, { ...(liveFlag !== undefined ? { liveFlag } : {}), ...pageOf(p) });
    return sendJson(reply, videoList(r));
  });

  // §3.2.4.3 — videos by conditions. The first matching mode applies:
  //   video.groupId + secret (the group's token)       → that live group's videos
  //   appId + timestamp + secret (the app signature)    → the app's videos [video.author: theirs + their groups']
  //   video.author alone                                → that author's (+ groups') public videos
  // then video.liveFlag (0 history / 1 live / absent all), pageNumber, pageSize. Requests
  // without appId use VTC_APPID (the seed's examples carry none).
  route('ajx/listVideoConditional.do', async (req, reply) => {
    const p = params(req);
    const liveFlag = liveFlagOf(p['video.liveFlag'], 'video.liveFlag');
    const filter = { ...(liveFlag !== undefined ? { liveFlag } : {}), ...pageOf(p) };
    const author = p['video.author'] ? field(UserIdSchema, p['video.author'], 'video.author') : undefined;
    const appidOf = () => {
      const appid = p.appId || core.config.VTC_APPID;
      if (!appid) throw new AppError('APP_AUTH_FAILED', 'appId is required');
      if (!check(AppIdSchema, appid)) throw new AppError('APP_AUTH_FAILED', `unknown appId ${appid}`);
      return appid;
    };
    if (p['video.groupId']) {
      const groupId = p['video.groupId'];
      const appid = appidOf();
      if (!/^[1-9][0-9]{0,15}$/.test(groupId) || !p.secret || !(await live.verifyGroupToken(appid, groupId, p.secret))) {
        throw new AppError('APP_AUTH_FAILED', 'unknown live group or wrong group token');
      }
      return sendJson(reply, videoList(await live.list(appid, { groupId, ...filter })));
    }
    if (p.secret || p.timestamp) {
      const appRec = await appAuth.verify(p, { readOnly: true });
      return sendJson(reply, videoList(await live.list(appRec.appid, { ...(author ? { author } : {}), ...filter })));
    }
    if (author) {
      const appid = appidOf();
      await accounts.getApp(appid).catch(() => {
        throw new AppError('APP_AUTH_FAILED', `unknown appId ${appid}`);
      });
      return sendJson(reply, videoList(await live.list(appid, { author, ...filter }, { publicOnly: true })));
    }
    throw new AppError('VALIDATION_FAILED', 'give video.groupId and secret, appId with timestamp and secret, or video.author');
  });

  await app.register(publicPages, deps);
  await app.register(webSdk, deps); // §3.2 web JS SDK: /LiveVideoServer/[js/]vtc3p.min.js, webImLogin.min.js, vtcVideo.min.js, vtcUtil.js, base64.js, jquery*.js
};
