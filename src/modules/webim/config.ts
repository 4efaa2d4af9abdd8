// The webim module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Int, type ConfigSection } from '../../infra/config.js';

export const WEBIM_CONFIG = {
  WEBIM_OFFLINE_MAX: Int(100, 1, 100000, 'web IM: messages kept per offline user until their next connect (oldest dropped first)'),
  WEBIM_OFFLINE_TTL_SECONDS: Int(604800, 60, 31536000, 'web IM: an offline queue nobody adds to for this long is dropped'),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof WEBIM_CONFIG> {}
}
