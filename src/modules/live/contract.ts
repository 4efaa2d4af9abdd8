// The live streams socket contract (seed 004 §3.2.3–3.2.4).
import { Type } from 'typebox';
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import { JoinResult, ListQuery, StartBody, VideoIdSchema, VideoList, VideoView } from './schemas.js';

export const liveContract = defineContract({
  client: {
    /** Start a live video → videoID (= its room id), host, port, rtspURL, url (HLS). */
    'live.start': { request: StartBody, response: VideoView },
    /** The author stops it. */
    'live.stop': { request: Type.Object({ videoID: VideoIdSchema }, { additionalProperties: false }), response: VideoView },
    /** Watch: enter its room as a viewer (then room.heartbeat with roomId = videoID). */
    'live.join': {
      request: Type.Object({ videoID: VideoIdSchema, password: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
      response: JoinResult,
    },
    'live.leave': {
      request: Type.Object({ videoID: VideoIdSchema }, { additionalProperties: false }),
      response: Type.Object({ left: Type.Boolean(), memsize: Type.Integer() }),
    },
    'live.get': {
      request: Type.Object({ videoID: VideoIdSchema, password: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
      response: VideoView,
    },
    /** My videos and my live groups' (author defaults to me), or one of my groups' (groupId). */
    'live.list': { request: ListQuery, response: VideoList },
  },
  server: {},
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof liveContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof liveContract> {}
}
