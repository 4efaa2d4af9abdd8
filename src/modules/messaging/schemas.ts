import { Type, type Static } from 'typebox';
import { UserIdSchema } from '../accounts/schemas.js';

// ── sensitive words ───────────────────────────────────────────────────────────
export const WordSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'a sensitive word or phrase (matched after normalisation: case, full width, spaces/punctuation)',
});
export const WordsBody = Type.Object(
  { words: Type.Array(WordSchema, { minItems: 1, maxItems: 20000, description: 'words to add, remove or (PUT) the whole list' }) },
  { additionalProperties: false },
);
export type WordsBodyT = Static<typeof WordsBody>;
export const ReplaceWordsBody = Type.Object(
  { words: Type.Array(WordSchema, { maxItems: 200000, description: 'the whole list (may be empty)' }) },
  { additionalProperties: false },
);
export const WordsChange = Type.Object({
  version: Type.Integer({ description: 'version of the list (bumped by every change; matchers rebuild when it moves)' }),
  count: Type.Integer({ description: 'words in the list now' }),
  changed: Type.Integer({ description: 'words actually added, removed or (PUT) in the new list' }),
});
export type WordsChangeT = Static<typeof WordsChange>;
export const WordList = Type.Object({ version: Type.Integer(), count: Type.Integer(), words: Type.Array(Type.String()) });
export type WordListT = Static<typeof WordList>;

// ── pre-send check ────────────────────────────────────────────────────────────
export const CheckBody = Type.Object(
  {
    content: Type.String({ maxLength: 65536, description: 'text to send' }),
    peer: Type.Optional(UserIdSchema),
    kind: Type.Optional(Type.String({ maxLength: 32, description: 'message type, e.g. RC:TxtMsg (informational)' })),
  },
  { additionalProperties: false },
);
export type CheckBodyT = Static<typeof CheckBody>;
export const CheckResult = Type.Object({
  allowed: Type.Literal(true),
  price: Type.Integer({ description: 'price of one message (MESSAGE_PRICE_KEY), 0 when messages are free' }),
});
export type CheckResultT = Static<typeof CheckResult>;

// ── translation ───────────────────────────────────────────────────────────────
export const LangSchema = Type.String({
  minLength: 2,
  maxLength: 12,
  pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$',
  description: 'short language code: zh, en, ja, zh-TW …',
});
export const TranslateBody = Type.Object(
  {
    text: Type.Array(Type.String({ maxLength: 5000 }), { minItems: 1, maxItems: 100, description: 'texts to translate' }),
    target: LangSchema,
    source: Type.Optional(LangSchema),
  },
  { additionalProperties: false },
);
export type TranslateBodyT = Static<typeof TranslateBody>;
export const TranslateResult = Type.Object({ provider: Type.String(), translations: Type.Array(Type.String()) });
export type TranslateResultT = Static<typeof TranslateResult>;

// ── tip and system messages ───────────────────────────────────────────────────
export const MessageKind = Type.Union([Type.Literal('tip'), Type.Literal('system')]);
export type MessageKindT = Static<typeof MessageKind>;
export const SendBody = Type.Object(
  {
    from: UserIdSchema,
    targets: Type.Array(UserIdSchema, { maxItems: 1000, description: 'receiving users (empty: nobody; as in the seed example)' }),
    msg: Type.String({ minLength: 1, maxLength: 4096 }),
  },
  { additionalProperties: false },
);
export type SendBodyT = Static<typeof SendBody>;
export const InboxMessage = Type.Object({
  id: Type.Integer({ minimum: 1, description: 'per-app sequence number; acknowledge up to it with message.ack' }),
  kind: MessageKind,
  from: Type.String(),
  msg: Type.String(),
  at: Type.Integer({ description: 'unix ms' }),
});
export type InboxMessageT = Static<typeof InboxMessage>;
export const SendResult = Type.Object({ id: Type.Integer(), targets: Type.Integer({ description: 'users it was pushed to and kept for' }) });
export type SendResultT = Static<typeof SendResult>;
export const InboxList = Type.Object({ messages: Type.Array(InboxMessage) });
export type InboxListT = Static<typeof InboxList>;
export const AckBody = Type.Object(
  { upTo: Type.Integer({ minimum: 1, description: 'every message with id ≤ upTo is removed from the inbox' }) },
  { additionalProperties: false },
);
export const AckResult = Type.Object({ removed: Type.Integer(), left: Type.Integer() });
export type AckResultT = Static<typeof AckResult>;
