// The voice conferences socket contract (seed 001).
import { Type } from 'typebox';
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import {
  ConfAddRequest,
  ConfCallIdsRequest,
  ConferenceMemberEvent,
  ConferenceView,
  ConfJoinRequest,
  ConfPasswordRequest,
  ConfRef,
  ControlResult,
  CreateConferenceBody,
  JoinResult,
  ParticipantList,
} from './schemas.js';

export const conferencesContract = defineContract({
  client: {
    /** Create a conference (time empty: now; a future time: scheduled) as its creator. */
    'conference.create': { request: Type.Omit(CreateConferenceBody, ['uid']), response: ConferenceView },
    /** Enter from the app (the password unless you created it): state 1, a callid, conference.member to the room. */
    'conference.join': { request: ConfJoinRequest, response: JoinResult },
    'conference.leave': { request: ConfRef, response: Type.Object({ left: Type.Boolean() }) },
    'conference.get': { request: ConfRef, response: ConferenceView },
    'conference.participants': { request: ConfRef, response: ParticipantList },
    /** Creator: add participants; dial: true also dials those with a number. */
    'conference.invite': { request: ConfAddRequest, response: ControlResult },
    /** Creator: dial every participant with a number who is not in. */
    'conference.callAll': { request: ConfRef, response: ControlResult },
    /** Creator: kick / mute / unmute legs by callid. */
    'conference.kick': { request: ConfCallIdsRequest, response: ControlResult },
    'conference.mute': { request: ConfCallIdsRequest, response: ControlResult },
    'conference.unmute': { request: ConfCallIdsRequest, response: ControlResult },
    /** Creator: set the password ("" clears it). */
    'conference.password': { request: ConfPasswordRequest, response: ConferenceView },
    /** Creator: end it and hang up every leg. */
    'conference.stop': { request: ConfRef, response: ConferenceView },
  },
  server: {
    /** To a conference's members (app participants who joined): a participant was added, dialled, answered, failed, joined, left, hung up, kicked, (un)muted, or the conference ended. */
    'conference.member': ConferenceMemberEvent,
  },
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof conferencesContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof conferencesContract> {}
}
