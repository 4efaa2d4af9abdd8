// Machine translation behind one interface, chosen by TRANSLATION_PROVIDER:
//   none            (default) every call fails with TRANSLATION_NOT_CONFIGURED (seed 003: 200004)
//   libretranslate  a self-hosted LibreTranslate-compatible server at LIBRETRANSLATE_URL
//   tencent         Tencent Machine Translation (TextTranslateBatch, TC3-HMAC-SHA256) with
//                   TENCENT_SECRET_ID / TENCENT_SECRET_KEY
// A provider that cannot be reached or answers an error fails with TRANSLATION_FAILED
// (seed 003: 200003). Nothing here throws anything else.
import type { Config } from '../../infra/config.js';
import { AppError } from '../../infra/errors.js';
import { createLibreTranslate } from './libretranslate.js';
import type { TranslationProvider } from './provider.js';
import { createTencentTmt } from './tencent.js';

export type { TranslationProvider } from './provider.js';

type ProviderConfig = Pick<
  Config,
  | 'TRANSLATION_PROVIDER'
  | 'TRANSLATION_TIMEOUT_MS'
  | 'LIBRETRANSLATE_URL'
  | 'LIBRETRANSLATE_API_KEY'
  | 'TENCENT_SECRET_ID'
  | 'TENCENT_SECRET_KEY'
  | 'TENCENT_TMT_REGION'
  | 'TENCENT_TMT_ENDPOINT'
  | 'TENCENT_TMT_PROJECT_ID'
>;

const unconfigured = (why: string): TranslationProvider => ({
  name: 'none',
  translate: async () => {
    throw new AppError('TRANSLATION_NOT_CONFIGURED', why);
  },
});

export function createTranslationProvider(config: ProviderConfig): TranslationProvider {
  switch (config.TRANSLATION_PROVIDER) {
    case 'libretranslate':
      if (!config.LIBRETRANSLATE_URL) return unconfigured('TRANSLATION_PROVIDER=libretranslate needs LIBRETRANSLATE_URL');
      return createLibreTranslate({
        url: config.LIBRETRANSLATE_URL,
        timeoutMs: config.TRANSLATION_TIMEOUT_MS,
        ...(config.LIBRETRANSLATE_API_KEY ? { apiKey: config.LIBRETRANSLATE_API_KEY } : {}),
      });
    case 'tencent':
      if (!config.TENCENT_SECRET_ID || !config.TENCENT_SECRET_KEY)
        return unconfigured('TRANSLATION_PROVIDER=tencent needs TENCENT_SECRET_ID and TENCENT_SECRET_KEY');
      return createTencentTmt({
        secretId: config.TENCENT_SECRET_ID,
        secretKey: config.TENCENT_SECRET_KEY,
        region: config.TENCENT_TMT_REGION,
        endpoint: config.TENCENT_TMT_ENDPOINT,
        projectId: config.TENCENT_TMT_PROJECT_ID,
        timeoutMs: config.TRANSLATION_TIMEOUT_MS,
      });
    default:
      return unconfigured('no translation provider is configured (TRANSLATION_PROVIDER)');
  }
}
