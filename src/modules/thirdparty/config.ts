// The thirdparty module's section of the config schema (composed into ConfigSchema by src/config.ts).
import { Int } from '../../infra/config-schema.js';

export const THIRD_PARTY_CONFIG = {
  VTC_USER_QUOTA: Int(
    100000,
    0,
    100000000,
    'seed 004: third-party users an app may have (thirdPartyRegister / manage add answer Exceed beyond it) unless the app sets its own quota',
  ),
};
