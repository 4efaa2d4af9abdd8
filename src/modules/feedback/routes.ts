import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { RequestIdSchema } from '../dispatch/schemas.js';
import { FeedbackBody, FeedbackResult, FeedbackView } from './schemas.js';

const Params = Type.Object({ conversationId: RequestIdSchema });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const feedbackRoutes: RoutePlugin = async (app, { services }) => {
  app.post(
    '/v1/conversations/:conversationId/feedback',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Stars (1–5) for network and translation, once per side; the caller side rates the agent',
        security: security.user,
        params: Params,
        body: FeedbackBody,
        response: { 200: FeedbackResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return services.feedback.give(s.appid, req.params.conversationId, s.uid, req.body);
    },
  );

  app.get(
    '/v1/conversations/:conversationId/feedback',
    {
      schema: {
        tags: ['conversations'],
        summary: "Both sides' feedback",
        security: security.user,
        params: Params,
        response: { 200: FeedbackView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return services.feedback.get(s.appid, req.params.conversationId, s.uid);
    },
  );
};
