// The messaging socket contract (seed 003 IM checks, translation, tip/system messages).
import { Type } from 'typebox';
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import { AckBody, AckResult, CheckBody, CheckResult, InboxList, InboxMessage, TranslateBody, TranslateResult } from './schemas.js';

export const messagingContract = defineContract({
  client: {
    /** May this message be sent? SENSITIVE_WORD, or INSUFFICIENT_BALANCE when priced messages cannot be paid (seed im/before/check). */
    'message.check': { request: CheckBody, response: CheckResult },
    /** Machine translation (TRANSLATION_NOT_CONFIGURED without a provider). */
    'message.translate': { request: TranslateBody, response: TranslateResult },
    /** My unacknowledged tip/system messages (also in session.snapshot under `inbox`). */
    'message.inbox': { request: Type.Object({}, { additionalProperties: false }), response: InboxList },
    /** Acknowledge tip/system messages up to an id: they leave the inbox. */
    'message.ack': { request: AckBody, response: AckResult },
  },
  server: {
    /** A grey-bar tip from the app's backend (seed /api/server/im/send/tip); kept in the inbox until message.ack. */
    'message.tip': InboxMessage,
    /** A system message from the app's backend (seed /api/server/im/send/system); kept in the inbox until message.ack. */
    'message.system': InboxMessage,
  },
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof messagingContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof messagingContract> {}
}
