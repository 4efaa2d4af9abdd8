import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { UserSigBody, UserSigView } from './schemas.js';

export const rtcRoutes: RoutePlugin = async (app, { services }) => {
  app.post(
    '/v1/rtc/usersig',
    {
      schema: {
        tags: ['rtc'],
        summary: 'Tencent UserSig for the logged-in user (+ PrivateMapKey for a room)',
        security: security.user,
        body: UserSigBody,
        response: { 200: UserSigView, 401: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (req) => {
      const s = req.session;
      const body = req.body ?? {};
      return services.rtc.userSig(s.appid, s.uid, {
        ...(body.roomId !== undefined ? { roomId: body.roomId } : {}),
        ...(body.privilege !== undefined ? { privilege: body.privilege } : {}),
        ...(body.expire !== undefined ? { expire: body.expire } : {}),
      });
    },
  );
};
