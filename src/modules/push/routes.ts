// An app's APNs settings: its backend (app secret) or the admin. The key is write-only.
import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { AppIdSchema } from '../accounts/schemas.js';
import { ApnsSettingsBody, ApnsSettingsView } from './schemas.js';
import { assertOwnApp } from '../accounts/auth-plugin.js';

const AppParams = Type.Object({ appid: AppIdSchema });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse };
const tags = ['push'];

export const pushRoutes: RoutePlugin = async (app, { services }) => {
  const { push } = services;

  app.put(
    '/v1/apps/:appid/push/apns',
    {
      schema: {
        tags,
        summary:
          'Set the APNs settings (token auth: keyId, teamId, bundleId, .p8 key, environment); the key is checked (EC P-256) and never shown again',
        security: security.appOrAdmin,
        params: AppParams,
        body: ApnsSettingsBody,
        response: { 200: ApnsSettingsView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return push.setApns(req.params.appid, req.body, { admin: req.caller.kind === 'admin' });
    },
  );

  app.get(
    '/v1/apps/:appid/push/apns',
    {
      schema: {
        tags,
        summary: 'The APNs settings, without the key (its fingerprint instead); APNS_NOT_CONFIGURED 404',
        security: security.appOrAdmin,
        params: AppParams,
        response: { 200: ApnsSettingsView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return push.getApns(req.params.appid);
    },
  );

  app.delete(
    '/v1/apps/:appid/push/apns',
    {
      schema: {
        tags,
        summary: 'Remove the APNs settings: no more pushes (jobs already queued finish without sending)',
        security: security.appOrAdmin,
        params: AppParams,
        response: { 200: Type.Object({ removed: Type.Boolean() }), ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return push.deleteApns(req.params.appid);
    },
  );
};
