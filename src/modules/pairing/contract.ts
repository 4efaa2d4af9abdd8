// The pairing socket contract (seed 003 speed match).
import { Type } from 'typebox';
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import {
  AnswerBody,
  AnswerResult,
  AnsweredEvent,
  AskBody,
  AskRef,
  AskView,
  AvailabilityBody,
  AvailabilityView,
  ConfirmBody,
  DeleteRecordBody,
  DeleteResult,
  DispatchEvent,
  EndedEvent,
  HistoryPage,
  HistoryQuery,
  MatchedEvent,
  WithdrawnEvent,
} from './schemas.js';

export const pairingContract = defineContract({
  client: {
    /** Be offered asks (profile.language/gender/tags are the filters' attributes) or not; ends with the last socket. */
    'pair.available': { request: AvailabilityBody, response: AvailabilityView },
    /** Can the balance pay the minimum call? (seed video/before/check; INSUFFICIENT_BALANCE otherwise) */
    'pair.check': {
      request: Type.Object({}, { additionalProperties: false }),
      response: Type.Object({ balance: Type.Integer(), minimum: Type.Integer() }),
    },
    /** Ask to be paired (seed video/pair/ask); rounds of pair.dispatch go to candidates. */
    'pair.ask': { request: AskBody, response: AskView },
    /** A candidate answers the current round; the first pass wins. */
    'pair.answer': { request: AnswerBody, response: AnswerResult },
    /** The asker likes (call, metered) or dislikes (back to matching) the peer. */
    'pair.confirm': { request: ConfirmBody, response: AskView },
    'pair.cancel': { request: AskRef, response: AskView },
    /** Either party ends the call that followed the match. */
    'pair.hangup': { request: AskRef, response: AskView },
    'pair.info': { request: AskRef, response: AskView },
    'pair.history': { request: HistoryQuery, response: HistoryPage },
    'pair.delete': { request: DeleteRecordBody, response: DeleteResult },
  },
  server: {
    /** To a candidate: the seed's long-link message {objectName: RC:CmdMsg, content: {name: dispatch, data: {ask_no, ask_uid, round_no}, extra}}. */
    'pair.dispatch': DispatchEvent,
    /** To the asker: a candidate passed; confirm it. */
    'pair.answered': AnsweredEvent,
    /** To both: liked; the metered call begins. */
    'pair.matched': MatchedEvent,
    /** To the asker (and the peer): the ask is over (cancelled, no-match, balance, call-ended). */
    'pair.ended': EndedEvent,
    /** To candidates holding an offer that closed (taken, cancelled, ended). */
    'pair.withdrawn': WithdrawnEvent,
  },
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof pairingContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof pairingContract> {}
}
