// Operations for the deployment's operator: Prometheus /metrics of this api node and the
// admin-wide view of app secrets. Per-app administration (rotate, users, disconnect) is in
// modules/accounts, where app backends can call it too.
import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { checkMetricsAccess } from '../../infra/metrics.js';
import { SecretList } from '../accounts/schemas.js';
import type { AppRecord } from '../accounts/service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse };

export const adminRoutes: RoutePlugin = async (app, { core, services }) => {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['ops'],
        summary: 'Prometheus metrics of this api node (text format); Bearer METRICS_TOKEN or ADMIN_TOKEN unless METRICS_PUBLIC',
        security: [{ metricsToken: [] }, { adminToken: [] }],
        response: { 200: Type.String({ description: 'Prometheus text exposition format 0.0.4' }), ...errors },
      },
    },
    async (req, reply) => {
      try {
        checkMetricsAccess(core.config, req.headers.authorization);
      } catch (err) {
        // Prometheus and curl understand a Bearer challenge.
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw err;
      }
      return reply.type(core.metrics.contentType).send(await core.metrics.text());
    },
  );

  app.get(
    '/v1/admin/secrets',
    {
      schema: {
        tags: ['admin'],
        summary: "Every app's working secrets: ids, creation, end of grace (never the values)",
        security: security.admin,
        response: { 200: Type.Object({ apps: Type.Array(SecretList) }), ...errors },
      },
    },
    async () => {
      const apps = await services.accounts.listApps();
      return { apps: apps.map((a: AppRecord) => ({ appid: a.appid, secrets: services.accounts.listSecrets(a) })) };
    },
  );
};
