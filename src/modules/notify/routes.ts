import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { assertOwnApp } from '../accounts/auth-plugin.js';
import { NotifyBody, NotifyResult } from './schemas.js';

export const notifyRoutes: RoutePlugin = async (app, { services }) => {
  app.post(
    '/v1/notify',
    {
      schema: {
        tags: ['notify'],
        summary: "Push an event to a user's sockets or a room, now (the notify queue does the same asynchronously)",
        security: security.app,
        body: NotifyBody,
        response: { 202: NotifyResult, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (req, reply) => {
      // The auth hook verified the app: no second read of it before emitting.
      if (req.body.appid !== undefined) assertOwnApp(req, req.body.appid);
      services.notify.emit({ ...req.body, appid: req.appRecord.appid });
      return reply.code(202).send({ delivered: true, via: 'adapter' });
    },
  );
};
