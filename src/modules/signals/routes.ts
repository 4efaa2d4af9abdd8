import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { RequestIdSchema } from '../dispatch/schemas.js';
import { QavCredentials, SignBody, SignResult, SignalBody, SignalResult, VerifyBody, VerifyResult } from './schemas.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const signalsRoutes: RoutePlugin = async (app, { services }) => {
  const { signals } = services;

  app.post(
    '/v1/conversations/:conversationId/signal',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Relay a signed TIM custom message to the other party (refused unless its sign verifies)',
        security: security.user,
        params: Type.Object({ conversationId: RequestIdSchema }),
        body: SignalBody,
        response: { 200: SignalResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return signals.relay(s.appid, s.uid, { conversationId: req.params.conversationId, ...req.body });
    },
  );

  app.post(
    '/v1/signals/verify',
    {
      schema: {
        tags: ['conversations'],
        summary: "Check a peer message's sign: HMAC-SHA256(key = sender qav_id, canonical data), hex",
        security: security.user,
        body: VerifyBody,
        response: { 200: VerifyResult, ...errors },
      },
    },
    async (req) => {
      return signals.verify(req.body);
    },
  );

  app.post(
    '/v1/signals/sign',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Sign data with your own qav_id (what a client computes itself)',
        security: security.user,
        body: SignBody,
        response: { 200: SignResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return signals.sign(s.appid, s.uid, req.body.data);
    },
  );

  app.get(
    '/v1/qav',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Your qav_id and a fresh qav_sig (UserSig), as login with qav=true returns',
        security: security.user,
        response: { 200: QavCredentials, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return signals.credentials(s.appid, s.uid);
    },
  );
};
