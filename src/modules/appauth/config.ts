// The appauth module's section of the config schema (composed into ConfigSchema by src/config.ts).
import { Int } from '../../infra/config-schema.js';

export const APP_AUTH_CONFIG = {
  VTC_MANAGE_INTERVAL_MS: Int(
    1000,
    1,
    3600000,
    'seed 004: thirdPartyManage.do calls (but opt) one appId may make: one per this interval, across api nodes (Busy otherwise)',
  ),
};
