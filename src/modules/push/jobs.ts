// push/send: one alert to one user's iPhone (modules/push). The service settles the APNs
// answer; a thrown APNS_UNAVAILABLE is retried with the job's backoff, other refusals are final.
import type { ModuleQueues } from '../../infra/queues.js';
import { PushJob } from './schemas.js';

declare module '../../infra/queues.js' {
  interface QueueCatalogue {
    /**
     * Push notifications to iPhones (APNs) of users a message found without a socket: one alert
     * per job (jobId apns|<appid>|<kind>|<messageId>|<uid>: once per message and recipient),
     * PUSH_ATTEMPTS attempts with exponential backoff from PUSH_BACKOFF_MS.
     */
    push: { send: typeof PushJob };
  }
}

export const pushQueues: ModuleQueues = {
  push: {
    send: {
      schema: PushJob,
      process: async (payload, { services, job }) => services.push.send(payload, { made: job.attemptsMade, max: job.opts.attempts ?? 1 }),
    },
  },
};
