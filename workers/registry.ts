// Every job of the queue catalogue (src/infra/queues.ts) mapped to its processor.
// The mapped type makes a job without a processor a compile error; main.ts checks
// again at start-up for jobs added to the catalogue by name only.
import type { Job } from 'bullmq';
import type { Core } from '../src/infra/core.js';
import type { JobName, JobPayload, QueueName } from '../src/infra/queues.js';
import type { Services } from '../src/services.js';
import { tickCharges } from './billing.js';
import { expireRequest, runDispatchRound, endNoShow } from './dispatch.js';
import { pairRoundTimeout, runPairRound } from './matchmaking.js';
import { linkRecording } from './media.js';
import { deliverNotify } from './notify.js';
import { sweepPresence } from './presence.js';
import { endRoomOnHostTimeout, sweepRooms } from './rooms.js';
import { deliverWebhook, sweepWebhooks } from './webhooks.js';
import { pruneGuests } from './customerservice.js';
import { sendPush } from './push.js';
import { applyCallState, endEmptyConference, runTelephonyCommand, sendSms, startConference } from './conferences.js';

export interface ProcessorContext {
  core: Core;
  services: Services;
  job: Job;
  /** Aborts when the worker is closing: long-running jobs (the sweep loops) return early. */
  signal?: AbortSignal;
}

export type Processor<Q extends QueueName, J extends JobName<Q>> = (payload: JobPayload<Q, J>, ctx: ProcessorContext) => Promise<unknown>;

export type Registry = { [Q in QueueName]: { [J in JobName<Q>]: Processor<Q, J> } };

export const registry: Registry = {
  notify: { notify: deliverNotify },
  rooms: { sweep: sweepRooms, hostTimeout: endRoomOnHostTimeout },
  media: { recording: linkRecording },
  presence: { sweep: sweepPresence },
  dispatch: { round: runDispatchRound, expire: expireRequest, noShow: endNoShow },
  billing: { tick: tickCharges },
  matchmaking: { round: runPairRound, timeout: pairRoundTimeout },
  webhooks: { deliver: deliverWebhook, sweep: sweepWebhooks },
  conferences: { start: startConference, emptyTimeout: endEmptyConference, command: runTelephonyCommand, callState: applyCallState },
  sms: { send: sendSms },
  customerservice: { pruneGuests },
  push: { send: sendPush },
};
