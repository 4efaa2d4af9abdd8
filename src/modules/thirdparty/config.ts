// The thirdparty module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Int, type ConfigSection } from '../../infra/config.js';

export const THIRD_PARTY_CONFIG = {
  VTC_USER_QUOTA: Int(
    100000,
    0,
    100000000,
    'seed 004: third-party users an app may have (thirdPartyRegister / manage add answer Exceed beyond it) unless the app sets its own quota',
  ),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof THIRD_PARTY_CONFIG> {}
}
