// customerservice/pruneGuests: the scheduler job that deletes the accounts of page guests whose session ended.
import type { Processor } from './registry.js';

export const pruneGuests: Processor<'customerservice', 'pruneGuests'> = async (_payload, { services }) => ({
  deleted: await services.customerservice.pruneGuests(),
});
