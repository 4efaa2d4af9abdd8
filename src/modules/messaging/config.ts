// The messaging module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Type } from 'typebox';
import { Int, type ConfigSection } from '../../infra/config.js';

export const MESSAGING_CONFIG = {
  SENSITIVE_WORDS_FILE: Type.String({
    default: 'assets/sensitive-words.txt',
    description:
      "word list (one per line, # comments) every app's sensitive-word list starts from; a relative path is resolved against the package root",
  }),
  MESSAGE_PRICE_KEY: Type.String({
    default: 'im',
    pattern: '^[A-Za-z0-9_]{1,32}$',
    description:
      'billing price key of one IM message: im/before/check refuses (1003) when the balance is below its unitPrice; no such price: messages are free',
  }),
  MESSAGE_INBOX_MAX: Int(200, 1, 100000, 'tip/system messages kept per user until acknowledged (oldest dropped first)'),
  MESSAGE_INBOX_TTL_SECONDS: Int(604800, 60, 31536000, 'an inbox nobody adds to or reads for this long is dropped'),
  TRANSLATION_PROVIDER: Type.Enum(['none', 'libretranslate', 'tencent'], {
    default: 'none',
    description: 'machine translation: none (translate answers TRANSLATION_NOT_CONFIGURED), libretranslate, tencent (TMT)',
  }),
  TRANSLATION_TIMEOUT_MS: Int(10000, 100, 120000, 'how long a translation waits for the provider'),
  LIBRETRANSLATE_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'base URL of a LibreTranslate-compatible server (POST <url>/translate)' }),
  ),
  LIBRETRANSLATE_API_KEY: Type.Optional(Type.String({ minLength: 1, description: 'api_key sent to LibreTranslate, when it requires one' })),
  TENCENT_TMT_REGION: Type.String({
    default: 'ap-guangzhou',
    description: 'region of Tencent Machine Translation (uses TENCENT_SECRET_ID/TENCENT_SECRET_KEY)',
  }),
  TENCENT_TMT_ENDPOINT: Type.String({
    default: 'https://tmt.tencentcloudapi.com',
    pattern: '^https?://[^/?#]+/?$',
    description: 'Tencent Machine Translation endpoint (tests, egress proxies)',
  }),
  TENCENT_TMT_PROJECT_ID: Int(0, 0, 2147483647, 'ProjectId sent to Tencent Machine Translation'),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof MESSAGING_CONFIG> {}
}
