// The push module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Type } from 'typebox';
import { Int, type ConfigSection } from '../../infra/config.js';

export const PUSH_CONFIG = {
  PUSH_ATTEMPTS: Int(5, 1, 50, 'push: attempts of one `push/send` job (APNs busy, 5xx, network) before it goes to the failed set'),
  PUSH_BACKOFF_MS: Int(2000, 10, 3600000, 'push: delay before the second attempt of a push; each later one doubles it'),
  PUSH_EXPIRATION_SECONDS: Int(
    86400,
    0,
    2592000,
    'push: apns-expiration, counted from the message: APNs keeps trying to reach the device until then, and a job still retrying after it is dropped',
  ),
  APNS_REQUEST_TIMEOUT_MS: Int(10000, 100, 120000, 'push: how long one APNs request may take before it counts as failed (and is retried)'),
  APNS_CA_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "push: PEM file of extra CA certificates APNs connections trust, besides Node's own (a TLS-inspecting proxy; the tests' stand-in server)",
    }),
  ),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof PUSH_CONFIG> {}
}
