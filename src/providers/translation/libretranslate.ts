// LibreTranslate (https://libretranslate.com, self-hostable) and compatible servers:
// POST <url>/translate {q: string[], source, target, format: "text", api_key?}
// → {translatedText: string[]} | {error}.
import { AppError } from '../../infra/errors.js';
import { postJson, type TranslationProvider } from './provider.js';

export function createLibreTranslate(opts: { url: string; apiKey?: string; timeoutMs: number }): TranslationProvider {
  const url = `${opts.url.replace(/\/+$/, '')}/translate`;
  return {
    name: 'libretranslate',
    async translate(texts, target, source = 'auto') {
      if (texts.length === 0) return [];
      const body = JSON.stringify({ q: texts, source, target, format: 'text', ...(opts.apiKey ? { api_key: opts.apiKey } : {}) });
      const { status, json } = await postJson<{ error?: unknown; translatedText?: unknown }>(
        'LibreTranslate',
        url,
        body,
        { 'content-type': 'application/json' },
        opts.timeoutMs,
      );
      if (status !== 200 || json?.error)
        throw new AppError('TRANSLATION_FAILED', `LibreTranslate: HTTP ${status}${json?.error ? `: ${String(json.error).slice(0, 200)}` : ''}`);
      const out = json?.translatedText;
      const list = Array.isArray(out) ? out : typeof out === 'string' && texts.length === 1 ? [out] : null;
      if (!list || list.length !== texts.length || !list.every((t) => typeof t === 'string'))
        throw new AppError('TRANSLATION_FAILED', 'LibreTranslate: unexpected answer');
      return list as string[];
    },
  };
}
