// Every job of the queue catalogue mapped to its processor, composed from the modules'
// jobs (src/modules/<feature>/jobs.ts, listed by src/modules/index.ts). A module's
// `queues` is typed against the catalogue its jobs.ts declares; runtime.ts checks again
// at start-up that every job has a processor and every processor a job.
import type { JobContext, JobName, JobPayload, QueueName } from '../src/infra/queues.js';
import { QUEUES } from '../src/modules/index.js';

export type ProcessorContext = JobContext;

export type Processor<Q extends QueueName, J extends JobName<Q>> = (payload: JobPayload<Q, J>, ctx: ProcessorContext) => Promise<unknown>;

export type Registry = { [Q in QueueName]: { [J in JobName<Q>]: Processor<Q, J> } };

export const registry = Object.fromEntries(
  Object.entries(QUEUES).map(([queue, jobs]) => [
    queue,
    Object.fromEntries(Object.entries(jobs).map(([name, def]) => [name, def.process.bind(def)])),
  ]),
) as unknown as Registry;
