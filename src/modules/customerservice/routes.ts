// Native REST of customer service: the app's backend manages its robot and seats (app
// secret); seats log in with nickname + password; the consultation page gets an anonymous
// customer session. Chatting itself is on the socket (events.ts).
import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import {
  AppParams,
  CreateSeatBody,
  GuestBody,
  LinkSeatBody,
  PublicRobotView,
  RobotBody,
  RobotQuery,
  RobotView,
  SeatLoginBody,
  SeatLoginResult,
  SeatParams,
  SeatView,
  SessionResult,
} from './schemas.js';
import { assertOwnApp } from '../accounts/auth-plugin.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse };
const tags = ['customerservice'];

export const customerServiceRoutes: RoutePlugin = async (app, { services, core }) => {
  const cs = services.customerservice;

  app.put(
    '/v1/apps/:appid/customerservice/robot',
    {
      schema: {
        tags,
        summary: "Create the app's customer-service robot or change its nickname",
        security: security.appOrAdmin,
        params: AppParams,
        body: RobotBody,
        response: { 200: RobotView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return cs.setRobot(req.params.appid, req.body.nickname);
    },
  );

  app.get(
    '/v1/apps/:appid/customerservice/robot',
    {
      schema: {
        tags,
        summary: 'The robot with its seats and their presence state',
        security: security.appOrAdmin,
        params: AppParams,
        response: { 200: RobotView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return cs.getRobot(req.params.appid);
    },
  );

  app.post(
    '/v1/apps/:appid/customerservice/seats',
    {
      schema: {
        tags,
        summary: 'New seat account (nickname + password; a user with role seat)',
        security: security.appOrAdmin,
        params: AppParams,
        body: CreateSeatBody,
        response: { 201: SeatView, ...errors },
      },
    },
    async (req, reply) => {
      assertOwnApp(req, req.params.appid);
      return reply.code(201).send(await cs.createSeat(req.params.appid, req.body));
    },
  );

  app.post(
    '/v1/apps/:appid/customerservice/seats/link',
    {
      schema: {
        tags,
        summary: 'Set an existing user as a seat (logs in with its nickname or user id and its own password)',
        security: security.appOrAdmin,
        params: AppParams,
        body: LinkSeatBody,
        response: { 201: SeatView, ...errors },
      },
    },
    async (req, reply) => {
      assertOwnApp(req, req.params.appid);
      return reply.code(201).send(await cs.linkSeat(req.params.appid, req.body));
    },
  );

  app.get(
    '/v1/apps/:appid/customerservice/seats',
    {
      schema: {
        tags,
        summary: 'Seats with their presence state',
        security: security.appOrAdmin,
        params: AppParams,
        response: { 200: Type.Object({ seats: Type.Array(SeatView) }), ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return { seats: (await cs.getRobot(req.params.appid)).seats };
    },
  );

  app.delete(
    '/v1/apps/:appid/customerservice/seats/:uid',
    {
      schema: {
        tags,
        summary: 'Remove a seat: offline first (its customers return to the pool); a created seat account is signed out',
        security: security.appOrAdmin,
        params: SeatParams,
        response: { 200: Type.Object({ removed: Type.Boolean() }), ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return cs.removeSeat(req.params.appid, req.params.uid);
    },
  );

  app.post(
    '/v1/customerservice/seats/login',
    {
      schema: {
        tags,
        summary: 'Seat login with nickname + password → socket token (then cs.seat.online)',
        body: SeatLoginBody,
        response: { 200: SeatLoginResult, ...errors },
      },
    },
    async (req) => app.guardCredentials(req, { appid: req.body.appid, account: `seat:${req.body.nickname}` }, () => cs.seatLogin(req.body)),
  );

  // Unauthenticated and costly (a user and a session each): @fastify/rate-limit, per app and
  // client address, CS_GUEST_RATE_PER_MINUTE a minute, counted in Redis across api nodes.
  app.post(
    '/v1/customerservice/guests',
    {
      schema: {
        tags,
        summary: `Anonymous customer session for the consultation page (rate-limited per IP and app: 429 RATE_LIMITED)`,
        body: GuestBody,
        response: { 200: SessionResult, ...errors },
      },
      config: {
        rateLimit: {
          max: core.config.CS_GUEST_RATE_PER_MINUTE,
          timeWindow: 60_000,
          hook: 'preHandler',
          keyGenerator: (req) => `guest:${(req.body as { appid?: string }).appid}\n${req.ip}`,
        },
      },
    },
    async (req) => cs.guest(req.body.appid),
  );

  app.get(
    '/v1/customerservice/robot',
    {
      schema: {
        tags,
        summary: "The robot's nickname and how many seats are online (public: the consultation page)",
        querystring: RobotQuery,
        response: { 200: PublicRobotView, ...errors },
      },
    },
    async (req) => cs.publicRobot(req.query.appid),
  );
};
