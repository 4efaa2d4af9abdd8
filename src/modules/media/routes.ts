import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { AppIdSchema } from '../accounts/schemas.js';
import {
  CallbackAnswer,
  CallbackEnvelope,
  CallbackKind,
  CosSignBody,
  CosSignView,
  RecordingList,
  VodClientSignBody,
  VodClientSignView,
  VodProxyView,
  VodRequestBody,
  VodSignView,
} from './schemas.js';
import { assertOwnApp } from '../accounts/auth-plugin.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const mediaRoutes: RoutePlugin = async (app, { services }) => {
  const { media } = services;

  app.post(
    '/v1/media/cos/sign',
    {
      schema: {
        tags: ['media'],
        summary: 'COS v4 signature, multi- or single-effect (+ v5 authorization for a file)',
        security: security.user,
        body: CosSignBody,
        response: { 200: CosSignView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return media.cosSign(s.appid, req.body);
    },
  );

  app.post(
    '/v1/media/vod/sign',
    {
      schema: {
        tags: ['media'],
        summary: 'Tencent Cloud API v2 signature of a request (SecretId filled in)',
        security: security.user,
        body: VodRequestBody,
        response: { 200: VodSignView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return media.vodSign(s.appid, req.body);
    },
  );

  app.post(
    '/v1/media/vod/proxy',
    {
      schema: {
        tags: ['media'],
        summary: 'Sign and forward a Cloud API request to an allow-listed Tencent host; relays its JSON',
        security: security.user,
        body: VodRequestBody,
        response: { 200: VodProxyView, 502: ErrorResponse, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return media.vodProxy(s.appid, req.body);
    },
  );

  app.post(
    '/v1/media/vod/client-sign',
    {
      schema: {
        tags: ['media'],
        summary: 'VOD client upload signature',
        security: security.user,
        body: VodClientSignBody,
        response: { 200: VodClientSignView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return media.vodClientSign(s.appid, req.body);
    },
  );

  // The vendor's callback: authenticated by its sign (md5(callbackKey + t)), not by a
  // token. Configure the callback URL with ?appid=<app> so the app's own key is used.
  app.post(
    '/v1/media/callbacks/:kind',
    {
      schema: {
        tags: ['media'],
        summary: 'Tencent live/recording callback (recording = recendcall, index = idxfileendcall); answers {code:0} once verified and queued',
        params: Type.Object({ kind: CallbackKind }),
        querystring: Type.Object({ appid: Type.Optional(AppIdSchema) }),
        body: CallbackEnvelope,
        response: { 200: CallbackAnswer, ...errors },
      },
    },
    async (req) => {
      await media.recordingCallback(req.body, { kind: req.params.kind, ...(req.query.appid !== undefined ? { appid: req.query.appid } : {}) });
      return { code: 0 as const };
    },
  );

  app.get(
    '/v1/apps/:appid/recordings',
    {
      schema: {
        tags: ['media'],
        summary: 'Recordings linked to a room',
        security: security.appOrAdmin,
        params: Type.Object({ appid: AppIdSchema }),
        querystring: Type.Object({ roomnum: Type.Integer({ minimum: 1 }) }),
        response: { 200: RecordingList, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return { recordings: await media.listRecordings(req.params.appid, req.query.roomnum) };
    },
  );
};
