// push/send: one alert to one user's iPhone (modules/push). The service settles the APNs
// answer; a thrown APNS_UNAVAILABLE is retried with the job's backoff, other refusals are final.
import type { Processor } from './registry.js';

export const sendPush: Processor<'push', 'send'> = async (payload, { services, job }) =>
  services.push.send(payload, { made: job.attemptsMade, max: job.opts.attempts ?? 1 });
