import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { AgentConfigBody, AgentParams, AgentView, HeartbeatResult, PresenceSetBody } from './schemas.js';
import { assertOwnApp } from '../accounts/auth-plugin.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const presenceRoutes: RoutePlugin = async (app, { services }) => {
  const { presence } = services;

  app.get(
    '/v1/presence',
    {
      schema: {
        tags: ['presence'],
        summary: "The caller's agent state, skills, capacity, load and rating",
        security: security.user,
        response: { 200: AgentView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return presence.get(s.appid, s.uid);
    },
  );

  app.put(
    '/v1/presence',
    {
      schema: {
        tags: ['presence'],
        summary: 'Go online (optionally with new skills/capacity) or offline (pending offers are withdrawn)',
        security: security.user,
        body: PresenceSetBody,
        response: { 200: AgentView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return presence.set(s.appid, s.uid, req.body);
    },
  );

  app.post(
    '/v1/presence/heartbeat',
    {
      schema: {
        tags: ['presence'],
        summary: 'An online agent is still here (at least every PRESENCE_TIMEOUT_MS)',
        security: security.user,
        response: { 200: HeartbeatResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return presence.heartbeat(s.appid, s.uid);
    },
  );

  app.put(
    '/v1/apps/:appid/agents/:uid',
    {
      schema: {
        tags: ['presence'],
        summary: "The app's backend sets an agent's skills (CN>EN one way, CN<>EN both) and capacity",
        security: security.appOrAdmin,
        params: AgentParams,
        body: AgentConfigBody,
        response: { 200: AgentView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return presence.configure(req.params.appid, req.params.uid, {
        skills: req.body.skills,
        ...(req.body.capacity !== undefined ? { capacity: req.body.capacity } : {}),
      });
    },
  );

  app.get(
    '/v1/apps/:appid/agents/:uid',
    {
      schema: {
        tags: ['presence'],
        summary: "An agent's state",
        security: security.appOrAdmin,
        params: AgentParams,
        response: { 200: AgentView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return presence.get(req.params.appid, req.params.uid);
    },
  );

  app.get(
    '/v1/apps/:appid/agents',
    {
      schema: {
        tags: ['presence'],
        summary: 'Idle agents of a skill, best first (the order dispatch offers in)',
        security: security.appOrAdmin,
        params: Type.Object({ appid: AgentParams.properties.appid }),
        querystring: Type.Object({
          skill: Type.String({ minLength: 1, maxLength: 65 }),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        }),
        response: { 200: Type.Object({ agents: Type.Array(Type.String()) }), ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return { agents: await presence.idle(req.params.appid, req.query.skill, req.query.limit) };
    },
  );
};
