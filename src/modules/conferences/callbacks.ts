// POST /v1/telephony/callbacks — call-state reports of the webhook telephony provider.
// Verified over the raw body (HMAC-SHA256 with TELEPHONY_WEBHOOK_SECRET, timestamp within
// TELEPHONY_CALLBACK_MAX_AGE_SECONDS: src/providers/telephony/webhook.ts) before it is parsed,
// answered at once, applied by a worker (conferences/callState, jobId per leg and state, so a
// repeated report is applied once). Its own plugin: the raw-body parser stays here.
import { AppError } from '../../infra/errors.js';
import { ErrorResponse } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { parse } from '../../infra/validation.js';
import { callStateJobId } from '../../providers/telephony/index.js';
import { verifySignedBody } from '../../providers/telephony/webhook.js';
import { Type } from 'typebox';
import { CallStateCallback } from './schemas.js';

export const telephonyCallbackRoutes: RoutePlugin = async (app, { core }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));

  app.post(
    '/v1/telephony/callbacks',
    {
      schema: {
        tags: ['conferences'],
        summary:
          'Call-state callback of the webhook telephony provider: JSON {appid, confId, callid, state: ringing|answered|failed|hungup, reason?}, signed (x-switchboard-timestamp, x-switchboard-signature: v1=hex HMAC-SHA256(secret, "<timestamp>.<raw body>"))',
        response: { 202: Type.Object({ ok: Type.Literal(true) }), 400: ErrorResponse, 401: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (req, reply) => {
      const secret = core.config.TELEPHONY_WEBHOOK_SECRET;
      if (core.config.TELEPHONY_PROVIDER !== 'webhook' || !secret)
        throw new AppError('TELEPHONY_NOT_CONFIGURED', 'call-state callbacks need TELEPHONY_PROVIDER=webhook and TELEPHONY_WEBHOOK_SECRET');
      const raw = typeof req.body === 'string' ? req.body : '';
      verifySignedBody(secret, req.headers, raw, core.config.TELEPHONY_CALLBACK_MAX_AGE_SECONDS);
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        throw new AppError('BAD_JSON', 'the callback body is not JSON');
      }
      const cb = parse(CallStateCallback, json, 'call-state callback');
      await core.queues.add('conferences', 'callState', cb, { jobId: callStateJobId(cb, cb.state) });
      return reply.code(202).send({ ok: true });
    },
  );
};
