// The webhooks module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Type } from 'typebox';
import { Int, type ConfigSection } from '../../infra/config.js';

export const WEBHOOKS_CONFIG = {
  WEBHOOK_TIMEOUT_MS: Int(10000, 100, 120000, 'a webhook attempt (connect, send, answer) that takes longer fails and is retried'),
  WEBHOOK_RETRY_WINDOW_MS: Int(
    86400000,
    0,
    30 * 86400000,
    'a webhook delivery is retried until this long after its event (or its replay), then dead-lettered; each delivery gets at least one attempt (0: one attempt)',
  ),
  WEBHOOK_RETRY_BASE_MS: Int(10000, 10, 86400000, 'delay before the second attempt of a webhook delivery; each later one doubles it'),
  WEBHOOK_RETRY_MAX_DELAY_MS: Int(3600000, 10, 86400000, 'longest delay between two attempts of a webhook delivery'),
  WEBHOOK_DEAD_LETTER_MAX: Int(1000, 1, 1000000, 'dead letters kept per app (the oldest are dropped first)'),
  WEBHOOK_MAX_ENDPOINTS: Int(20, 1, 1000, 'webhook endpoints an app may register'),
  WEBHOOK_ALLOW_PRIVATE_URLS: Type.Boolean({
    default: false,
    description: 'allow webhook URLs on loopback, private and link-local addresses (on: trusted tenants, tests)',
  }),
  WEBHOOK_SWEEP_INTERVAL_MS: Int(
    30000,
    100,
    3600000,
    'how often the worker looks for webhook deliveries whose job was lost (re-enqueued once overdue by WEBHOOK_TIMEOUT_MS + this)',
  ),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof WEBHOOKS_CONFIG> {}
}
