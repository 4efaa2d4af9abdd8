// The customer service socket contract (seed 004 §4): customers write, seats reply; the first reply takes the customer over.
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import {
  ConsultationView,
  CsMessage,
  CustomerRef,
  Empty,
  EndResult,
  OptionalCustomerRef,
  ReplyBody,
  ReplyResult,
  SeatOnlineResult,
  SeatView,
  SendBody,
  SendResult,
  StatusEvent,
  TakenEvent,
} from './schemas.js';

export const customerServiceContract = defineContract({
  client: {
    /** A customer writes; the first message opens a consultation offered to every online seat. */
    'cs.send': { request: SendBody, response: SendResult },
    /** The customer leaves: a waiting consultation is withdrawn, a conversation ends. */
    'cs.end': { request: Empty, response: EndResult },
    /** A consultation with its messages: a seat passes `customer`; a customer reads its own. */
    'cs.history': { request: OptionalCustomerRef, response: ConsultationView },
    /** A seat's console opens: online, with the waiting consultations offered to it and its own customers. */
    'cs.seat.online': { request: Empty, response: SeatOnlineResult },
    /** A seat leaves: offline at once; its customers return to the pool. */
    'cs.seat.offline': { request: Empty, response: SeatView },
    /** A seat replies; on a waiting consultation the first reply takes the customer over (CS_TAKEN for the others). */
    'cs.reply': { request: ReplyBody, response: ReplyResult },
    /** A seat ends the conversation with its customer. */
    'cs.close': { request: CustomerRef, response: EndResult },
  },
  server: {
    /** Customer service: a message of a consultation, to the customer and to the seat holding it (or the seats holding its offer). */
    'cs.message': CsMessage,
    /** Customer service, to every seat of the app: a seat took a customer over (first reply). */
    'cs.taken': TakenEvent,
    /** Customer service, to the customer: waiting / talking (with the seat's nickname) / returned (the seat went offline) / closed. */
    'cs.status': StatusEvent,
  },
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof customerServiceContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof customerServiceContract> {}
}
