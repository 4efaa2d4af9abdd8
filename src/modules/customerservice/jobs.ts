// customerservice/pruneGuests: the scheduler job that deletes the accounts of page guests whose session ended.
import type { Config } from '../../infra/config.js';
import type { ModuleQueues, Schedule } from '../../infra/queues.js';
import { PruneGuestsJob } from './schemas.js';

declare module '../../infra/queues.js' {
  interface QueueCatalogue {
    /** Accounts of consultation-page guests whose session ended are deleted (scheduler). */
    customerservice: { pruneGuests: typeof PruneGuestsJob };
  }
}

export const customerServiceQueues: ModuleQueues = {
  customerservice: {
    pruneGuests: { schema: PruneGuestsJob, process: async (_payload, { services }) => ({ deleted: await services.customerservice.pruneGuests() }) },
  },
};

export const customerServiceSchedules = (config: Config): Schedule[] => [
  // Deletes the accounts of consultation-page guests whose session ended (one user per visitor).
  { queue: 'customerservice', job: 'pruneGuests', everyMs: config.CS_GUEST_PRUNE_INTERVAL_MS },
];
