// The customerservice module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Int, type ConfigSection } from '../../infra/config.js';

export const CUSTOMER_SERVICE_CONFIG = {
  CS_SEAT_CAPACITY: Int(
    20,
    1,
    100,
    'customer service: customers a seat talks with at once; pending consultations count too (every online seat with a free slot is offered each one)',
  ),
  CS_MAX_WAIT_MS: Int(
    600000,
    500,
    86400000,
    'customer service: a consultation no seat answers within this time expires (the customer is told; a new message opens a new one)',
  ),
  CS_GUEST_TTL_SECONDS: Int(86400, 60, 31536000, 'customer service: lifetime of an anonymous customer session (consultation page)'),
  CS_GUEST_PRUNE_INTERVAL_MS: Int(
    600000,
    1000,
    86400000,
    'customer service: how often the accounts of guests whose session ended are deleted (customerservice/pruneGuests)',
  ),
  CS_GUEST_RATE_PER_MINUTE: Int(
    10,
    1,
    100000,
    'customer service: anonymous customer sessions one IP address may open per app per minute (across api nodes)',
  ),
  CS_HISTORY_MAX: Int(200, 10, 100000, "customer service: messages kept per customer's consultation (oldest dropped first)"),
  CS_HISTORY_TTL_SECONDS: Int(604800, 60, 31536000, 'customer service: a consultation history nobody writes to for this long is dropped'),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof CUSTOMER_SERVICE_CONFIG> {}
}
