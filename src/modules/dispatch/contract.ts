// The dispatch socket contract: requests offered to agents in rounds, and the conversations that follow.
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import {
  AcceptedEvent,
  BeginBody,
  ConversationEndedEvent,
  ConversationStartedEvent,
  CreateRequestBody,
  DeclineResult,
  EndBody,
  ExpiredEvent,
  OfferEvent,
  QueuedEvent,
  RequestRef,
  RequestView,
  TakenEvent,
  WithdrawnEvent,
} from './schemas.js';

export const dispatchContract = defineContract({
  client: {
    /** A caller asks for an agent with a skill (e.g. CN>EN); offers go out in rounds. */
    'dispatch.request': { request: CreateRequestBody, response: RequestView },
    /** First accept wins; the others get ALREADY_TAKEN. */
    'dispatch.accept': { request: RequestRef, response: RequestView },
    'dispatch.decline': { request: RequestRef, response: DeclineResult },
    /** The caller gives up a waiting request. */
    'dispatch.cancel': { request: RequestRef, response: RequestView },
    'dispatch.get': { request: RequestRef, response: RequestView },
    /** A party begins the accepted conversation (seed conversation/begin). */
    'conversation.begin': { request: BeginBody, response: RequestView },
    /** A party ends it; the agent is free again (seed conversation/end). */
    'conversation.end': { request: EndBody, response: RequestView },
  },
  server: {
    /** To an agent: a request it may accept. */
    'dispatch.offer': OfferEvent,
    /** To the other offered agents: someone accepted first. */
    'dispatch.taken': TakenEvent,
    /** To offered agents: the request expired or was cancelled. */
    'dispatch.withdrawn': WithdrawnEvent,
    /** To the caller: an agent accepted (begin the conversation with it). */
    'dispatch.accepted': AcceptedEvent,
    /** To the caller: no agent holds an offer right now; position in the skill's queue. */
    'dispatch.queued': QueuedEvent,
    /** To the caller: nobody accepted within DISPATCH_MAX_WAIT_MS. */
    'dispatch.expired': ExpiredEvent,
    'conversation.started': ConversationStartedEvent,
    'conversation.ended': ConversationEndedEvent,
  },
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof dispatchContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof dispatchContract> {}
}
