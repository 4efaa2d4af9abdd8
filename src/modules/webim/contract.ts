// The web IM socket contract (seed 004 §3.2.2).
import { Type } from 'typebox';
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import {
  ImConnected,
  ImMessage,
  ImPresence,
  SendBody,
  SendResult,
  SetStatusBody,
  SetStatusResult,
  SubscribeBody,
  SubscribeResult,
  Subscriptions,
} from './schemas.js';

export const webimContract = defineContract({
  client: {
    /** setStatus: any string, sent as im.presence to my subscribers. */
    'im.status': { request: SetStatusBody, response: SetStatusResult },
    /** send(to, body): to a platform user id; every socket of theirs, or kept until they connect. */
    'im.send': { request: SendBody, response: SendResult },
    /** Receive a user's presence (answers their presence now). */
    'im.subscribe': { request: SubscribeBody, response: SubscribeResult },
    'im.unsubscribe': { request: SubscribeBody, response: Type.Object({ removed: Type.Boolean() }) },
    'im.subscriptions': { request: Type.Object({}, { additionalProperties: false }), response: Subscriptions },
  },
  server: {
    /** Web IM: the socket is logged in (after any kept messages, sent as im.message with offline: true). */
    'im.connected': ImConnected,
    /** Web IM: a user I subscribe to set a status or went offline. */
    'im.presence': ImPresence,
    /** Web IM: a text message to me. */
    'im.message': ImMessage,
  },
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof webimContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof webimContract> {}
}
