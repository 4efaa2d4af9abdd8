// The rtc module's section of the config schema (composed into ConfigSchema by src/config.ts).
import { Type } from 'typebox';
import { Int } from '../../infra/config-schema.js';

export const RTC_CONFIG = {
  TENCENT_SDKAPPID: Type.Optional(Type.Integer({ minimum: 1, description: 'default Tencent SdkAppID for apps without their own' })),
  TENCENT_KEY: Type.Optional(Type.String({ minLength: 1, description: 'default Tencent UserSig key for apps without their own' })),
  USERSIG_EXPIRE_SECONDS: Int(86400, 60, 15552000, 'lifetime of issued UserSigs'),
};
