// The live module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Type } from 'typebox';
import { Int, type ConfigSection } from '../../infra/config.js';

export const LIVE_CONFIG = {
  LIVE_RTP_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'live streams: the RTP/UDP host publishers push to (start → host)' }),
  LIVE_RTP_PORT: Int(5004, 1, 65535, 'live streams: the RTP/UDP port publishers push to (start → port)'),
  LIVE_RTSP_URL_TEMPLATE: Type.String({
    default: 'rtsp://127.0.0.1:554/live/{appid}/{videoID}',
    description: 'live streams: RTSP URL of a stream; {appid} {uid} {videoID} {host} {port} are replaced',
  }),
  LIVE_HLS_URL_TEMPLATE: Type.String({
    default: 'http://127.0.0.1:8080/LiveVideoServer/streams/{uid}/{videoID}/live.m3u8',
    description: 'live streams: HLS URL of a stream (and of its recording); same placeholders',
  }),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof LIVE_CONFIG> {}
}
