// The appauth module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Int, type ConfigSection } from '../../infra/config.js';

export const APP_AUTH_CONFIG = {
  VTC_MANAGE_INTERVAL_MS: Int(
    1000,
    1,
    3600000,
    'seed 004: thirdPartyManage.do calls (but opt) one appId may make: one per this interval, across api nodes (Busy otherwise)',
  ),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof APP_AUTH_CONFIG> {}
}
