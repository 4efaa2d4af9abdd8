// Tencent Machine Translation (TMT), API 3.0 action TextTranslateBatch (version 2018-03-21):
// POST https://tmt.tencentcloudapi.com {Source, Target, ProjectId, SourceTextList} signed
// with TC3-HMAC-SHA256 → {Response: {TargetTextList, RequestId}} | {Response: {Error: {Code, Message}}}.
import { AppError } from '../../infra/errors.js';
import { tc3Sign } from '../tencent/tc3.js';
import { postJson, type TranslationProvider } from './provider.js';

export interface TmtOptions {
  secretId: string;
  secretKey: string;
  region: string;
  /** https://tmt.tencentcloudapi.com, or a fake in tests. */
  endpoint: string;
  projectId: number;
  timeoutMs: number;
  now?: () => number;
}

export const TMT_VERSION = '2018-03-21';
export const TMT_ACTION = 'TextTranslateBatch';

export function createTencentTmt(opts: TmtOptions): TranslationProvider {
  const host = new URL(opts.endpoint).host; // signed as sent
  return {
    name: 'tencent',
    async translate(texts, target, source = 'auto') {
      if (texts.length === 0) return [];
      const payload = JSON.stringify({ Source: source, Target: target, ProjectId: opts.projectId, SourceTextList: texts });
      const timestamp = Math.floor((opts.now ?? Date.now)() / 1000);
      const contentType = 'application/json; charset=utf-8';
      const { authorization } = tc3Sign({
        secretId: opts.secretId,
        secretKey: opts.secretKey,
        service: 'tmt',
        host,
        timestamp,
        payload,
        headers: { 'content-type': contentType },
      });
      const headers = {
        authorization,
        'content-type': contentType,
        'x-tc-action': TMT_ACTION,
        'x-tc-version': TMT_VERSION,
        'x-tc-timestamp': String(timestamp),
        'x-tc-region': opts.region,
      };
      const { status, json } = await postJson<{ Response?: { Error?: { Code?: unknown; Message?: unknown }; TargetTextList?: unknown } }>(
        'Tencent TMT',
        opts.endpoint,
        payload,
        headers,
        opts.timeoutMs,
      );
      const r = json?.Response;
      if (r?.Error) throw new AppError('TRANSLATION_FAILED', `Tencent TMT: ${String(r.Error.Code)}: ${String(r.Error.Message ?? '').slice(0, 200)}`);
      const list = r?.TargetTextList;
      if (status !== 200 || !Array.isArray(list) || list.length !== texts.length)
        throw new AppError('TRANSLATION_FAILED', `Tencent TMT: unexpected answer (HTTP ${status})`);
      return list as string[];
    },
  };
}
