// Webhook endpoints and dead letters of an app: its backend (app secret) or the admin.
import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { AppIdSchema } from '../accounts/schemas.js';
import {
  CreateEndpointBody,
  DeadLetterList,
  DeadLetterQuery,
  DeliveryIdSchema,
  EndpointIdSchema,
  EndpointList,
  EndpointView,
  EndpointWithSecret,
  ReplayResult,
  RotateSecretBody,
  UpdateEndpointBody,
} from './schemas.js';
import { assertOwnApp } from '../accounts/auth-plugin.js';

const AppParams = Type.Object({ appid: AppIdSchema });
const EndpointParams = Type.Object({ appid: AppIdSchema, endpointId: EndpointIdSchema });
const DeliveryParams = Type.Object({ appid: AppIdSchema, deliveryId: DeliveryIdSchema });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
const tags = ['webhooks'];

export const webhooksRoutes: RoutePlugin = async (app, { services }) => {
  const { webhooks } = services;

  app.post(
    '/v1/apps/:appid/webhooks',
    {
      schema: {
        tags,
        summary: 'Register an endpoint for some events; the answer holds its signing secret, shown only here',
        security: security.appOrAdmin,
        params: AppParams,
        body: CreateEndpointBody,
        response: { 201: EndpointWithSecret, ...errors },
      },
    },
    async (req, reply) => {
      assertOwnApp(req, req.params.appid);
      return reply.code(201).send(await webhooks.createEndpoint(req.params.appid, req.body));
    },
  );

  app.get(
    '/v1/apps/:appid/webhooks',
    {
      schema: {
        tags,
        summary: "The app's endpoints (without secrets)",
        security: security.appOrAdmin,
        params: AppParams,
        response: { 200: EndpointList, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return { endpoints: await webhooks.listEndpoints(req.params.appid) };
    },
  );

  app.get(
    '/v1/apps/:appid/webhooks/dead-letters',
    {
      schema: {
        tags,
        summary: 'Deliveries that failed for the whole retry window, newest first (page with ?before=<next>)',
        security: security.appOrAdmin,
        params: AppParams,
        querystring: DeadLetterQuery,
        response: { 200: DeadLetterList, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return webhooks.deadLetters(req.params.appid, {
        limit: req.query.limit,
        ...(req.query.before !== undefined ? { before: req.query.before } : {}),
      });
    },
  );

  app.post(
    '/v1/apps/:appid/webhooks/dead-letters/:deliveryId/replay',
    {
      schema: {
        tags,
        summary: 'Attempt a dead letter again (same event id and body, a fresh retry window)',
        security: security.appOrAdmin,
        params: DeliveryParams,
        response: { 200: ReplayResult, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return webhooks.replay(req.params.appid, req.params.deliveryId);
    },
  );

  app.get(
    '/v1/apps/:appid/webhooks/:endpointId',
    {
      schema: {
        tags,
        summary: 'One endpoint (without its secret)',
        security: security.appOrAdmin,
        params: EndpointParams,
        response: { 200: EndpointView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return webhooks.getEndpoint(req.params.appid, req.params.endpointId);
    },
  );

  app.patch(
    '/v1/apps/:appid/webhooks/:endpointId',
    {
      schema: {
        tags,
        summary: 'Change the URL, events, enabled flag or description',
        security: security.appOrAdmin,
        params: EndpointParams,
        body: UpdateEndpointBody,
        response: { 200: EndpointView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return webhooks.updateEndpoint(req.params.appid, req.params.endpointId, req.body);
    },
  );

  app.delete(
    '/v1/apps/:appid/webhooks/:endpointId',
    {
      schema: {
        tags,
        summary: 'Remove an endpoint (its pending deliveries are dropped, its dead letters stay listed)',
        security: security.appOrAdmin,
        params: EndpointParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      assertOwnApp(req, req.params.appid);
      await webhooks.deleteEndpoint(req.params.appid, req.params.endpointId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/apps/:appid/webhooks/:endpointId/secret',
    {
      schema: {
        tags,
        summary: 'Rotate the signing secret (shown once); with graceSeconds the old one also signs until then',
        security: security.appOrAdmin,
        params: EndpointParams,
        body: Type.Optional(RotateSecretBody),
        response: { 200: EndpointWithSecret, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return webhooks.rotateSecret(req.params.appid, req.params.endpointId, req.body?.graceSeconds ?? 0);
    },
  );
};
