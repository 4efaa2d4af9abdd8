// media/recording: a verified recording callback, linked to its room by the media service
// (which runs its onRecording hook, e.g. classroom's). Unknown streams and rooms are
// AppError 4xx, so they land in the failed set at once with their reason.
import type { ModuleQueues } from '../../infra/queues.js';
import { RecordingJob } from './schemas.js';

declare module '../../infra/queues.js' {
  interface QueueCatalogue {
    /** Verified vendor recording callbacks (recendcall / idxfileendcall), linked to rooms; job id from the event id. */
    media: { recording: typeof RecordingJob };
  }
}

export const mediaQueues: ModuleQueues = {
  media: { recording: { schema: RecordingJob, process: async (payload, { services }) => services.media.linkRecording(payload) } },
};
