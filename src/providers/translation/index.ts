// Machine translation behind one interface, chosen by TRANSLATION_PROVIDER:
//   none            (default) every call fails with TRANSLATION_NOT_CONFIGURED (seed 003: 200004)
//   libretranslate  a self-hosted LibreTranslate-compatible server at LIBRETRANSLATE_URL
//   tencent         Tencent Machine Translation (TextTranslateBatch, TC3-HMAC-SHA256) with
//                   TENCENT_SECRET_ID / TENCENT_SECRET_KEY
// A provider that cannot be reached or answers an error fails with TRANSLATION_FAILED
// (seed 003: 200003). Nothing here throws anything else.
import type { Config } from '../../config.js';
import { AppError } from '../../infra/errors.js';
import { OutboundError, outboundRequest, type OutboundResponse } from '../../infra/outbound.js';
import { createLibreTranslate } from './libretranslate.js';
import { createTencentTmt } from './tencent.js';

export interface TranslationProvider {
  readonly name: 'none' | 'libretranslate' | 'tencent';
  /** One translation per text, in order. `target`/`source` are short codes (zh, en, ja …); source defaults to auto. */
  translate(texts: string[], target: string, source?: string): Promise<string[]>;
}

/** A batch of translations is small; anything near this is not an answer. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

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

/** POSTs JSON and returns the parsed answer; TRANSLATION_FAILED on anything but a JSON answer. */
export async function postJson(
  what: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; json: any }> {
  let res: OutboundResponse;
  try {
    // The provider's URL is the operator's (LIBRETRANSLATE_URL, TENCENT_TMT_ENDPOINT): private addresses allowed.
    res = await outboundRequest(url, { method: 'POST', body, headers, timeoutMs, allowPrivate: true, maxResponseBytes: MAX_ANSWER_BYTES });
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err;
    if (err.kind === 'too-large') throw new AppError('TRANSLATION_FAILED', `${what} answered more than ${MAX_ANSWER_BYTES} bytes`);
    throw new AppError('TRANSLATION_FAILED', `${what} did not answer: ${err.kind === 'timeout' ? 'timeout' : 'unreachable'}`);
  }
  const text = res.body.toString('utf8');
  try {
    return { status: res.status, json: JSON.parse(text) };
  } catch {
    throw new AppError('TRANSLATION_FAILED', `${what} answered HTTP ${res.status} without JSON`);
  }
}
