// The webim module's section of the config schema (composed into ConfigSchema by src/config.ts).
import { Int } from '../../infra/config-schema.js';

export const WEBIM_CONFIG = {
  WEBIM_OFFLINE_MAX: Int(100, 1, 100000, 'web IM: messages kept per offline user until their next connect (oldest dropped first)'),
  WEBIM_OFFLINE_TTL_SECONDS: Int(604800, 60, 31536000, 'web IM: an offline queue nobody adds to for this long is dropped'),
};
