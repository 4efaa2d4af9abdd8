// Native REST of billing. Prices, top-ups, adjustments and metering are for the app's
// backend (app secret); users read their own balance, ledger and calls and confirm their
// bills (token); the app secret reads any of its users.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../infra/errors.js';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import type { AppOrUser } from '../accounts/auth-plugin.js';
import { UserIdSchema } from '../accounts/schemas.js';
import {
  AdjustBody,
  BalanceView,
  BeginBody,
  CallIdSchema,
  CallView,
  EndBody,
  LedgerPage,
  LedgerQuery,
  LedgerResult,
  PriceBody,
  PriceKeySchema,
  PriceList,
  PriceView,
  ReconciliationList,
  ReconciliationQuery,
  ReportBody,
  TopupBody,
} from './schemas.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 402: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const PriceParams = Type.Object({ priceKey: PriceKeySchema });
const UserParams = Type.Object({ uid: UserIdSchema });
const CallParams = Type.Object({ callId: CallIdSchema });
const { userOrApp } = security;

/** The app secret (Basic appid:secret) or a user token (Bearer): who is asking, and for which app. */
function appOrUser(req: FastifyRequest): { appid: string; kind: 'app' } | { appid: string; kind: 'user'; uid: string } {
  const c = req.caller as AppOrUser;
  return c.kind === 'app' ? { appid: c.app.appid, kind: 'app' } : { appid: c.session.appid, kind: 'user', uid: c.session.uid };
}

export const billingRoutes: RoutePlugin = async (app, { services }) => {
  const { billing } = services;

  // ── prices (app) ──────────────────────────────────────────────────────────
  app.put(
    '/v1/billing/prices/:priceKey',
    {
      schema: {
        tags: ['billing'],
        summary: 'Set a price: `default`, a language pair (`CN-EN`, both directions unless directional) or any key',
        security: security.app,
        params: PriceParams,
        body: PriceBody,
        response: { 200: PriceView, ...errors },
      },
    },
    async (req) => {
      const { appid } = req.appRecord;
      return billing.setPrice(appid, req.params.priceKey, req.body);
    },
  );
  app.delete(
    '/v1/billing/prices/:priceKey',
    {
      schema: {
        tags: ['billing'],
        summary: 'Remove a price (calls already metered keep theirs)',
        security: security.app,
        params: PriceParams,
        response: { 200: Type.Object({ deleted: Type.Literal(true) }), ...errors },
      },
    },
    async (req) => {
      const { appid } = req.appRecord;
      await billing.deletePrice(appid, req.params.priceKey);
      return { deleted: true as const };
    },
  );
  app.get(
    '/v1/billing/prices',
    {
      schema: { tags: ['billing'], summary: "The app's prices", security: userOrApp, response: { 200: PriceList, ...errors } },
    },
    async (req) => {
      const { appid } = appOrUser(req);
      return { prices: await billing.listPrices(appid) };
    },
  );

  // ── balances and ledger ───────────────────────────────────────────────────
  app.post(
    '/v1/billing/topups',
    {
      schema: {
        tags: ['billing'],
        summary: 'Credit a user once per ref (ledger key topup:<ref>); a replay returns the original entry',
        security: security.app,
        body: TopupBody,
        response: { 200: LedgerResult, ...errors },
      },
    },
    async (req) => {
      const { appid } = req.appRecord;
      return billing.topup(appid, req.body);
    },
  );
  app.post(
    '/v1/billing/adjustments',
    {
      schema: {
        tags: ['billing'],
        summary: 'Correct a balance by a signed amount once per ref (ledger key adjust:<ref>); never below zero',
        security: security.app,
        body: AdjustBody,
        response: { 200: LedgerResult, ...errors },
      },
    },
    async (req) => {
      const { appid } = req.appRecord;
      return billing.adjust(appid, req.body);
    },
  );
  app.get(
    '/v1/billing/users/:uid/balance',
    {
      schema: {
        tags: ['billing'],
        summary: "A user's balance (the user themself, or the app)",
        security: userOrApp,
        params: UserParams,
        response: { 200: BalanceView, ...errors },
      },
    },
    async (req) => {
      const who = appOrUser(req);
      if (who.kind === 'user' && who.uid !== req.params.uid) throw new AppError('FORBIDDEN', 'a user sees only their own balance');
      return { uid: req.params.uid, balance: await billing.balance(who.appid, req.params.uid) };
    },
  );
  app.get(
    '/v1/billing/users/:uid/ledger',
    {
      schema: {
        tags: ['billing'],
        summary: "A user's ledger, newest first (the user themself, or the app)",
        security: userOrApp,
        params: UserParams,
        querystring: LedgerQuery,
        response: { 200: LedgerPage, ...errors },
      },
    },
    async (req) => {
      const who = appOrUser(req);
      if (who.kind === 'user' && who.uid !== req.params.uid) throw new AppError('FORBIDDEN', 'a user sees only their own ledger');
      return billing.ledger(who.appid, req.params.uid, req.query);
    },
  );
  app.get(
    '/v1/billing/balance',
    {
      schema: { tags: ['billing'], summary: "The caller's balance", security: security.user, response: { 200: BalanceView, ...errors } },
    },
    async (req) => {
      const s = req.session;
      return { uid: s.uid, balance: await billing.balance(s.appid, s.uid) };
    },
  );
  app.get(
    '/v1/billing/ledger',
    {
      schema: {
        tags: ['billing'],
        summary: "The caller's ledger, newest first",
        security: security.user,
        querystring: LedgerQuery,
        response: { 200: LedgerPage, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return billing.ledger(s.appid, s.uid, req.query);
    },
  );

  // ── metered calls ─────────────────────────────────────────────────────────
  app.post(
    '/v1/billing/calls',
    {
      schema: {
        tags: ['billing'],
        summary: 'Start metering a call (seed charge/begin): unit 1 is debited at once; idempotent by callId',
        security: security.app,
        body: BeginBody,
        response: { 200: CallView, ...errors },
      },
    },
    async (req) => {
      const { appid } = req.appRecord;
      return billing.begin(appid, req.body);
    },
  );
  app.get(
    '/v1/billing/calls/:callId',
    {
      schema: {
        tags: ['billing'],
        summary: 'A metered call or its bill (payer, payee, or the app)',
        security: userOrApp,
        params: CallParams,
        response: { 200: CallView, ...errors },
      },
    },
    async (req) => {
      const who = appOrUser(req);
      return who.kind === 'user' ? billing.callFor(who.appid, req.params.callId, who.uid) : billing.getCall(who.appid, req.params.callId);
    },
  );
  app.get(
    '/v1/billing/calls/:callId/ledger',
    {
      schema: {
        tags: ['billing'],
        summary: "The call's ledger entries (its units), newest first (payer, payee, or the app)",
        security: userOrApp,
        params: CallParams,
        querystring: LedgerQuery,
        response: { 200: LedgerPage, ...errors },
      },
    },
    async (req) => {
      const who = appOrUser(req);
      if (who.kind === 'user') await billing.callFor(who.appid, req.params.callId, who.uid);
      return billing.callLedger(who.appid, req.params.callId, req.query);
    },
  );
  app.post(
    '/v1/billing/calls/:callId/report',
    {
      schema: {
        tags: ['billing'],
        summary: "The agent app's measure so far (seed charge/update); differences kept for review (payee or the app)",
        security: userOrApp,
        params: CallParams,
        body: ReportBody,
        response: { 200: CallView, ...errors },
      },
    },
    async (req) => {
      const who = appOrUser(req);
      if (who.kind === 'user' && (await billing.getCall(who.appid, req.params.callId)).payee !== who.uid)
        throw new AppError('FORBIDDEN', 'only the payee reports the measure');
      return billing.update(who.appid, req.params.callId, req.body.reportedSeconds);
    },
  );
  app.post(
    '/v1/billing/calls/:callId/end',
    {
      schema: {
        tags: ['billing'],
        summary: "End metering (seed charge/end), with the agent app's final measure (payer, payee, or the app)",
        security: userOrApp,
        params: CallParams,
        body: Type.Optional(EndBody),
        response: { 200: CallView, ...errors },
      },
    },
    async (req) => {
      const who = appOrUser(req);
      let reason = req.body?.reason ?? 'app';
      if (who.kind === 'user') {
        const call = await billing.callFor(who.appid, req.params.callId, who.uid);
        reason = call.payer === who.uid ? 'payer' : 'payee';
        if (req.body?.reportedSeconds !== undefined && call.payee !== who.uid) throw new AppError('FORBIDDEN', 'only the payee reports the measure');
      }
      return billing.end(who.appid, req.params.callId, {
        reason,
        ...(req.body?.reportedSeconds !== undefined ? { reportedSeconds: req.body.reportedSeconds } : {}),
      });
    },
  );
  app.post(
    '/v1/billing/calls/:callId/confirm',
    {
      schema: {
        tags: ['billing'],
        summary: 'The payer accepts the bill of an ended call (seed charge/confirm)',
        security: security.user,
        params: CallParams,
        response: { 200: CallView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return billing.confirm(s.appid, req.params.callId, s.uid);
    },
  );
  app.get(
    '/v1/billing/reconciliations',
    {
      schema: {
        tags: ['billing'],
        summary: "Differences between agent apps' measures and the server's, newest first",
        security: security.app,
        querystring: ReconciliationQuery,
        response: { 200: ReconciliationList, ...errors },
      },
    },
    async (req) => {
      const { appid } = req.appRecord;
      return billing.reconciliations(appid, req.query);
    },
  );
};
