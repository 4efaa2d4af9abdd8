// What every translation provider is, and the one HTTP call they share (the provider
// implementations import this, index.ts picks one: no import cycle between them).
import { AppError } from '../../infra/errors.js';
import { OutboundError, outboundRequest, type OutboundResponse } from '../../infra/outbound.js';

export interface TranslationProvider {
  readonly name: 'none' | 'libretranslate' | 'tencent';
  /** One translation per text, in order. `target`/`source` are short codes (zh, en, ja …); source defaults to auto. */
  translate(texts: string[], target: string, source?: string): Promise<string[]>;
}

/** A batch of translations is small; anything near this is not an answer. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** POSTs JSON and returns the parsed answer; TRANSLATION_FAILED on anything but a JSON answer. */
export async function postJson<T extends object>(
  what: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; json: Partial<T> | null }> {
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
    const json: unknown = JSON.parse(text);
    // The answer's fields are read as optional and checked by the caller.
    return { status: res.status, json: typeof json === 'object' ? (json as Partial<T> | null) : null };
  } catch {
    throw new AppError('TRANSLATION_FAILED', `${what} answered HTTP ${res.status} without JSON`);
  }
}
