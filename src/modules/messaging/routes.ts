// Native REST of messaging. The word list and tip/system messages are for the app's backend
// (app secret); the pre-send check, translation and the inbox are for users (token).
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import {
  AckBody,
  AckResult,
  CheckBody,
  CheckResult,
  InboxList,
  ReplaceWordsBody,
  SendBody,
  SendResult,
  TranslateBody,
  TranslateResult,
  WordList,
  WordsBody,
  WordsChange,
} from './schemas.js';

const errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  402: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  422: ErrorResponse,
  502: ErrorResponse,
  503: ErrorResponse,
};
const BIG_BODY = 16 * 1024 * 1024; // a whole word list

export const messagingRoutes: RoutePlugin = async (app, { services }) => {
  const { messaging } = services;

  // ── sensitive words (app) ─────────────────────────────────────────────────
  app.get(
    '/v1/messaging/words',
    {
      schema: {
        tags: ['messaging'],
        summary: "The app's sensitive words (normalised) and the list's version",
        security: security.app,
        response: { 200: WordList, ...errors },
      },
    },
    async (req) => messaging.words(req.appRecord.appid),
  );
  app.post(
    '/v1/messaging/words',
    {
      bodyLimit: BIG_BODY,
      schema: {
        tags: ['messaging'],
        summary: 'Add sensitive words (normalised: case, full width, spaces/punctuation removed)',
        security: security.app,
        body: WordsBody,
        response: { 200: WordsChange, ...errors },
      },
    },
    async (req) => messaging.addWords(req.appRecord.appid, req.body.words),
  );
  app.post(
    '/v1/messaging/words/remove',
    {
      bodyLimit: BIG_BODY,
      schema: {
        tags: ['messaging'],
        summary: 'Remove sensitive words',
        security: security.app,
        body: WordsBody,
        response: { 200: WordsChange, ...errors },
      },
    },
    async (req) => messaging.removeWords(req.appRecord.appid, req.body.words),
  );
  app.put(
    '/v1/messaging/words',
    {
      bodyLimit: BIG_BODY,
      schema: {
        tags: ['messaging'],
        summary: 'Replace the whole list (empty: nothing is sensitive)',
        security: security.app,
        body: ReplaceWordsBody,
        response: { 200: WordsChange, ...errors },
      },
    },
    async (req) => messaging.replaceWords(req.appRecord.appid, req.body.words),
  );

  // ── pre-send check, translation (user) ────────────────────────────────────
  app.post(
    '/v1/messaging/check',
    {
      schema: {
        tags: ['messaging'],
        summary:
          'May this message be sent? SENSITIVE_WORD (422) or INSUFFICIENT_BALANCE (402) when priced messages cannot be paid; nothing is debited',
        security: security.user,
        body: CheckBody,
        response: { 200: CheckResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return messaging.check(s.appid, s.uid, req.body);
    },
  );
  app.post(
    '/v1/messaging/translate',
    {
      schema: {
        tags: ['messaging'],
        summary: 'Translate texts (TRANSLATION_NOT_CONFIGURED 503 without a provider, TRANSLATION_FAILED 502)',
        security: security.user,
        body: TranslateBody,
        response: { 200: TranslateResult, ...errors },
      },
    },
    async (req) => {
      return messaging.translate(req.body);
    },
  );

  // ── tip / system messages (app) and the inbox (user) ──────────────────────
  for (const kind of ['tip', 'system'] as const) {
    app.post(
      `/v1/messaging/${kind}`,
      {
        schema: {
          tags: ['messaging'],
          summary: `Send a ${kind === 'tip' ? 'tip (grey bar)' : 'system'} message: message.${kind} to every target now, kept in their inbox until acknowledged`,
          security: security.app,
          body: SendBody,
          response: { 200: SendResult, ...errors },
        },
      },
      async (req) => messaging.send(req.appRecord.appid, kind, req.body),
    );
  }
  app.get(
    '/v1/messaging/inbox',
    {
      schema: {
        tags: ['messaging'],
        summary: 'My unacknowledged tip/system messages, oldest first',
        security: security.user,
        response: { 200: InboxList, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return { messages: await messaging.inbox(s.appid, s.uid) };
    },
  );
  app.post(
    '/v1/messaging/inbox/ack',
    {
      schema: {
        tags: ['messaging'],
        summary: 'Acknowledge my messages up to an id (removed from the inbox)',
        security: security.user,
        body: AckBody,
        response: { 200: AckResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return messaging.ack(s.appid, s.uid, req.body.upTo);
    },
  );
};
