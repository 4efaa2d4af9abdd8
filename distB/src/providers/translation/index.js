import { AppError } from '../../infra/errors.js';
import { createLibreTranslate } from './libretranslate.js';
import { createTencentTmt } from './tencent.js';
const unconfigured = (why) => ({
    name: 'none',
    translate: async () => {
        throw new AppError('TRANSLATION_NOT_CONFIGURED', why);
    },
});
export function createTranslationProvider(config) {
    switch (config.TRANSLATION_PROVIDER) {
        case 'libretranslate':
            if (!config.LIBRETRANSLATE_URL)
                return unconfigured('TRANSLATION_PROVIDER=libretranslate needs LIBRETRANSLATE_URL');
            return createLibreTranslate({ url: config.LIBRETRANSLATE_URL, timeoutMs: config.TRANSLATION_TIMEOUT_MS, ...(config.LIBRETRANSLATE_API_KEY ? { apiKey: config.LIBRETRANSLATE_API_KEY } : {}) });
        case 'tencent':
            if (!config.TENCENT_SECRET_ID || !config.TENCENT_SECRET_KEY)
                return unconfigured('TRANSLATION_PROVIDER=tencent needs TENCENT_SECRET_ID and TENCENT_SECRET_KEY');
            return createTencentTmt({
                secretId: config.TENCENT_SECRET_ID, secretKey: config.TENCENT_SECRET_KEY, region: config.TENCENT_TMT_REGION,
                endpoint: config.TENCENT_TMT_ENDPOINT, projectId: config.TENCENT_TMT_PROJECT_ID, timeoutMs: config.TRANSLATION_TIMEOUT_MS,
            });
        default:
            return unconfigured('no translation provider is configured (TRANSLATION_PROVIDER)');
    }
}
/** POSTs JSON and returns the parsed answer; TRANSLATION_FAILED on anything but a JSON answer. */
export async function postJson(what, url, body, headers, timeoutMs) {
    let res;
    try {
        res = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    }
    catch (err) {
        throw new AppError('TRANSLATION_FAILED', `${what} did not answer: ${err.name === 'TimeoutError' ? 'timeout' : 'unreachable'}`);
    }
    const text = await res.text();
    try {
        return { status: res.status, json: JSON.parse(text) };
    }
    catch {
        throw new AppError('TRANSLATION_FAILED', `${what} answered HTTP ${res.status} without JSON`);
    }
}
//# sourceMappingURL=index.js.map