// The rtc module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Type } from 'typebox';
import { Int, type ConfigSection } from '../../infra/config.js';

export const RTC_CONFIG = {
  TENCENT_SDKAPPID: Type.Optional(Type.Integer({ minimum: 1, description: 'default Tencent SdkAppID for apps without their own' })),
  TENCENT_KEY: Type.Optional(Type.String({ minLength: 1, description: 'default Tencent UserSig key for apps without their own' })),
  USERSIG_EXPIRE_SECONDS: Int(86400, 60, 15552000, 'lifetime of issued UserSigs'),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof RTC_CONFIG> {}
}
