// The media module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Type } from 'typebox';
import { Int, type ConfigSection } from '../../infra/config.js';

export const MEDIA_CONFIG = {
  TENCENT_SECRET_ID: Type.Optional(
    Type.String({ minLength: 1, description: 'default Tencent Cloud API SecretId (COS/VOD signatures, VOD proxy) for apps without their own' }),
  ),
  TENCENT_SECRET_KEY: Type.Optional(Type.String({ minLength: 1, description: 'default Tencent Cloud API SecretKey, paired with TENCENT_SECRET_ID' })),
  COS_BUCKET: Type.Optional(
    Type.String({ pattern: '^.+-[0-9]+$', description: 'default COS bucket, v5 form <name>-<APPID>, for apps without their own' }),
  ),
  COS_REGION: Type.Optional(Type.String({ minLength: 1, description: 'region of COS_BUCKET (e.g. ap-shanghai, or sh in v4 terms)' })),
  COS_PREVIEW_TAG: Type.String({ default: 'preview', description: 'document preview domain part: <bucket>-<appid>.<tag>.myqcloud.com' }),
  COS_SIGN_EXPIRE_SECONDS: Int(3600, 60, 7776000, 'lifetime of multi-effect COS signatures and COS v5 authorizations'),
  VOD_CLIENT_SIGN_EXPIRE_SECONDS: Int(86400, 60, 7776000, 'lifetime of VOD client upload signatures'),
  TENCENT_CALLBACK_KEY: Type.Optional(
    Type.String({ minLength: 1, description: 'default key of live/recording callback signs for apps without their own' }),
  ),
  VOD_API_BASE_URL: Type.Optional(
    Type.String({ pattern: '^https?://[^/?#]+$', description: 'send VOD proxy requests here instead of https://<host> (tests, egress proxies)' }),
  ),
  VOD_PROXY_ALLOWED_HOSTS: Type.String({
    default: 'vod.api.qcloud.com,cvm.api.qcloud.com',
    description: 'comma-separated Tencent API hosts that vod get_sign/cmd_proxy may sign for',
  }),
  VOD_PROXY_TIMEOUT_MS: Int(10000, 100, 120000, 'how long the VOD proxy waits for the vendor'),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof MEDIA_CONFIG> {}
}
