// Seed 003, the messaging part: the IM pre-send check, translation, and the server's tip and
// system messages. Translation only: parse → services.messaging → envelope (common.ts).
//   POST /api/v1/im/before/check      {rc_msg, peer_uid, content} → data null; 100002 sensitive word, 1003 balance
//   POST /api/v1/translate/action     {text: [], short}            → data: translations, in order; 200004 no provider, 200003 provider failed
//   POST /api/server/im/send/tip      {from, targets: [], msg}      → data {id, targets} (the seed shows no answer: native one)
//   POST /api/server/im/send/system   {from, targets: [], msg}      → same
// uids may be numbers (the seed's examples) or strings; they are the users' ids as strings.
import { Type } from 'typebox';
import { UserIdSchema } from '../../modules/accounts/schemas.js';
import { LangSchema } from '../../modules/messaging/schemas.js';
import { seed003Plugin, serverRoute, uidOf, userRoute } from './common.js';

const Uid = Type.Union([Type.Integer({ minimum: 0 }), UserIdSchema], { description: 'uid: number or string' });

export const ImCheckReq = Type.Object(
  {
    rc_msg: Type.String({ minLength: 1, maxLength: 32, description: 'RongCloud object name, e.g. RC:TxtMsg' }),
    peer_uid: Uid,
    content: Type.Optional(Type.String({ maxLength: 65536, description: 'text checked for sensitive words (absent for non-text messages)' })),
  },
  { additionalProperties: true },
);
export const TranslateReq = Type.Object(
  {
    text: Type.Array(Type.String({ maxLength: 5000 }), { minItems: 1, maxItems: 100 }),
    short: LangSchema,
  },
  { additionalProperties: true },
);
export const SendReq = Type.Object(
  {
    from: Uid,
    targets: Type.Array(Uid, { maxItems: 1000 }),
    msg: Type.String({ minLength: 1, maxLength: 4096 }),
  },
  { additionalProperties: true },
);

export const seed003MessagingDialect = seed003Plugin(() => [
  userRoute('/api/v1/im/before/check', ImCheckReq, async ({ services, appid, uid }, body) => {
    await services.messaging.check(appid, uid, { content: body.content ?? '', peer: uidOf(body.peer_uid), kind: body.rc_msg });
    return null;
  }),
  userRoute(
    '/api/v1/translate/action',
    TranslateReq,
    async ({ services }, body) => (await services.messaging.translate({ text: body.text, target: body.short })).translations,
  ),
  ...(['tip', 'system'] as const).map((kind) =>
    serverRoute(`/api/server/im/send/${kind}`, SendReq, async ({ services, appid }, body) =>
      services.messaging.send(appid, kind, { from: uidOf(body.from), targets: body.targets.map(uidOf), msg: body.msg }),
    ),
  ),
]);
