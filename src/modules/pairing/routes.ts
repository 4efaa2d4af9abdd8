import { Type } from 'typebox';
import { AppError } from '../../infra/errors.js';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import {
  AnswerBody,
  AnswerResult,
  AskBody,
  AskNoSchema,
  AskView,
  AvailabilityBody,
  AvailabilityView,
  ConfirmBody,
  DeleteRecordBody,
  DeleteResult,
  HistoryPage,
  HistoryQuery,
} from './schemas.js';

const AskParams = Type.Object({ askNo: AskNoSchema });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 402: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const pairingRoutes: RoutePlugin = async (app, { core, services }) => {
  const { pairing } = services;

  app.put(
    '/v1/pairing/availability',
    {
      schema: {
        tags: ['pairing'],
        summary: 'Be offered asks (filters read from profile.language/gender/tags now) or not; the last socket closing ends it',
        security: security.user,
        body: AvailabilityBody,
        response: { 200: AvailabilityView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      // Availability ends with the user's last socket; without one it would never end, and
      // pair.dispatch could not reach the user anyway.
      if (req.body.available && (await core.emitter.userSocketCount(s.appid, s.uid)) === 0) {
        throw new AppError(
          'NO_SOCKET',
          'connect a socket before becoming available: pair.dispatch arrives over it, and availability ends with the last socket',
        );
      }
      return pairing.setAvailable(s.appid, s.uid, req.body.available);
    },
  );

  app.post(
    '/v1/pairing/check',
    {
      schema: {
        tags: ['pairing'],
        summary: 'Can the balance pay the minimum call? (INSUFFICIENT_BALANCE otherwise)',
        security: security.user,
        response: { 200: Type.Object({ balance: Type.Integer(), minimum: Type.Integer() }), ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return pairing.checkBalance(s.appid, s.uid);
    },
  );

  app.post(
    '/v1/pairing/asks',
    {
      schema: {
        tags: ['pairing'],
        summary: 'Ask to be paired (scene 1 speed match, 0 1v1 with peerUid); offered in rounds',
        security: security.user,
        body: AskBody,
        response: { 201: AskView, ...errors },
      },
    },
    async (req, reply) => {
      const s = req.session;
      return reply.code(201).send(await pairing.ask(s.appid, s.uid, req.body));
    },
  );

  app.get(
    '/v1/pairing/asks/:askNo',
    {
      schema: {
        tags: ['pairing'],
        summary: 'Read an ask (asker, peer, or a candidate holding its offer)',
        security: security.user,
        params: AskParams,
        response: { 200: AskView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return pairing.info(s.appid, req.params.askNo, s.uid);
    },
  );

  app.post(
    '/v1/pairing/asks/:askNo/answer',
    {
      schema: {
        tags: ['pairing'],
        summary: 'A candidate answers the current round: first pass wins (PAIR_TAKEN, PAIR_STALE_ROUND for the others)',
        security: security.user,
        params: AskParams,
        body: Type.Omit(AnswerBody, ['askNo']),
        response: { 200: AnswerResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return pairing.answer(s.appid, s.uid, { askNo: req.params.askNo, ...req.body });
    },
  );

  app.post(
    '/v1/pairing/asks/:askNo/confirm',
    {
      schema: {
        tags: ['pairing'],
        summary: 'The asker likes the peer (call, metered) or not (back to matching)',
        security: security.user,
        params: AskParams,
        body: Type.Omit(ConfirmBody, ['askNo']),
        response: { 200: AskView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return pairing.confirm(s.appid, s.uid, { askNo: req.params.askNo, ...req.body });
    },
  );

  app.post(
    '/v1/pairing/asks/:askNo/cancel',
    {
      schema: {
        tags: ['pairing'],
        summary: 'The asker stops the ask everywhere (offers withdrawn, a running call ends)',
        security: security.user,
        params: AskParams,
        response: { 200: AskView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return pairing.cancel(s.appid, s.uid, req.params.askNo);
    },
  );

  app.post(
    '/v1/pairing/asks/:askNo/hangup',
    {
      schema: {
        tags: ['pairing'],
        summary: 'Either party ends the call that followed the match',
        security: security.user,
        params: AskParams,
        response: { 200: AskView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return pairing.hangUp(s.appid, s.uid, req.params.askNo);
    },
  );

  app.get(
    '/v1/pairing/history',
    {
      schema: {
        tags: ['pairing'],
        summary: 'Own history list, newest first (page with next as before)',
        security: security.user,
        querystring: HistoryQuery,
        response: { 200: HistoryPage, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return pairing.history(s.appid, s.uid, req.query);
    },
  );

  app.post(
    '/v1/pairing/history/delete',
    {
      schema: {
        tags: ['pairing'],
        summary: 'Remove a record (askNo, startAt) from the own history list',
        security: security.user,
        body: DeleteRecordBody,
        response: { 200: DeleteResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return pairing.deleteRecord(s.appid, s.uid, req.body.askNo, req.body.startAt);
    },
  );
};
