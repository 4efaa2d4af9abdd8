// Seed 003 — pairing routes of the dialect: /api/v1/video/before/check, video/pair/{ask,
// answer,confirm,cancel,info}, video/delPairRecord, and the history list the seed reads
// start_at from (video/pair/records, not in the seed). Translation only: the same services
// as /v1/pairing. uids and ask numbers travel as the seed writes them (numbers for uids,
// strings for ask_no; either form is accepted on the way in); start_at is unix seconds.
import { Type } from 'typebox';
import type { AskViewT } from '../../modules/pairing/schemas.js';
import { seedUid } from '../../modules/pairing/service.js';
import { seed003Plugin, uidOf, userRoute } from './common.js';

const AskNo = Type.Union([Type.String({ pattern: '^[1-9][0-9]{0,15}$' }), Type.Integer({ minimum: 1 })], { description: 'ask number' });
const Uid = Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Integer({ minimum: 0 })]);
const Tag = Type.String({ minLength: 1, maxLength: 32, pattern: '^[^,]+$' });
const Filter = Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z0-9_-]+$' });

const AskParam = Type.Object({
  scene: Type.Optional(Type.Integer({ minimum: 0, maximum: 1 })),
  peer_uid: Type.Optional(Uid),
  language: Type.Optional(Filter),
  gender: Type.Optional(Filter),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 10 })),
});
const AnswerParam = Type.Object({ ask_no: AskNo, round_no: Type.Integer({ minimum: 1 }), pass: Type.Boolean() });
const ConfirmParam = Type.Object({
  ask_no: AskNo,
  pass: Type.Boolean(),
  round_no: Type.Optional(Type.Integer({ minimum: 1 })),
  peer_uid: Uid,
  call_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:@-]+$' })),
});
const AskNoParam = Type.Object({ ask_no: AskNo });
const DelParam = Type.Object({ ask_no: AskNo, start_at: Type.Integer({ minimum: 0 }) });
const RecordsParam = Type.Object({
  before: Type.Optional(Type.Integer({ minimum: 0, description: 'start_at (s) to page before' })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

/** The seed's uid: a number when the native id is all digits. */
const seedUidOrNull = (uid: string | undefined): number | string | null => (uid === undefined ? null : seedUid(uid));

function info(v: AskViewT) {
  return { status: v.status, ask_no: v.askNo, ask_uid: seedUidOrNull(v.askUid), call_id: v.callId ?? '', peer_uid: seedUidOrNull(v.peerUid) ?? 0 };
}

function record(v: AskViewT) {
  return {
    ...info(v),
    scene: v.scene,
    round_no: v.round,
    start_at: Math.floor(v.startAt / 1000),
    end_at: v.endedAt ? Math.floor(v.endedAt / 1000) : 0,
    reason: v.endReason ?? '',
  };
}

export const seed003PairingDialect = seed003Plugin(() => [
  userRoute(
    '/api/v1/video/before/check',
    Type.Object({}),
    async ({ services, appid, uid }) => {
      await services.pairing.checkBalance(appid, uid);
      return null;
    },
    { summary: 'balance pays the minimum call (1003 otherwise)' },
  ),

  userRoute('/api/v1/video/pair/ask', AskParam, async ({ services, appid, uid }, p) => {
    const filters = {
      ...(p.language ? { language: p.language } : {}),
      ...(p.gender ? { gender: p.gender } : {}),
      ...(p.tags?.length ? { tags: p.tags } : {}),
    };
    const scene = p.scene ?? (p.peer_uid !== undefined ? 0 : 1);
    const v = await services.pairing.ask(appid, uid, {
      scene,
      ...(p.peer_uid !== undefined ? { peerUid: uidOf(p.peer_uid) } : {}),
      ...(Object.keys(filters).length ? { filters } : {}),
    });
    return { ask_no: v.askNo };
  }),

  userRoute('/api/v1/video/pair/answer', AnswerParam, async ({ services, appid, uid }, p) => {
    await services.pairing.answer(appid, uid, { askNo: String(p.ask_no), roundNo: p.round_no, pass: p.pass });
    return null;
  }),

  userRoute('/api/v1/video/pair/confirm', ConfirmParam, async ({ services, appid, uid }, p) => {
    await services.pairing.confirm(appid, uid, {
      askNo: String(p.ask_no),
      pass: p.pass,
      peerUid: uidOf(p.peer_uid),
      ...(p.call_id ? { callId: p.call_id } : {}),
      ...(p.round_no ? { roundNo: p.round_no } : {}),
    });
    return null;
  }),

  userRoute('/api/v1/video/pair/cancel', AskNoParam, async ({ services, appid, uid }, p) => {
    await services.pairing.cancel(appid, uid, String(p.ask_no));
    return null;
  }),

  userRoute('/api/v1/video/pair/info', AskNoParam, async ({ services, appid, uid }, p) =>
    info(await services.pairing.info(appid, String(p.ask_no), uid)),
  ),

  userRoute(
    '/api/v1/video/pair/records',
    RecordsParam,
    async ({ services, appid, uid }, p) => {
      const page = await services.pairing.history(appid, uid, {
        ...(p.before !== undefined ? { before: p.before * 1000 } : {}),
        limit: p.size ?? 20,
      });
      return page.items.map(record);
    },
    { summary: 'the history list (not in the seed): start_at is what delPairRecord takes' },
  ),

  userRoute('/api/v1/video/delPairRecord', DelParam, async ({ services, appid, uid }, p) => {
    await services.pairing.deleteRecord(appid, uid, String(p.ask_no), p.start_at);
    return null;
  }),
]);
