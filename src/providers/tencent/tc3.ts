// Tencent Cloud API 3.0 signature, TC3-HMAC-SHA256 (Tencent's "Signature v3" document):
//   CanonicalRequest = METHOD \n / \n query \n canonical headers \n signed headers \n hex(sha256(payload))
//   StringToSign     = TC3-HMAC-SHA256 \n timestamp \n <UTC date>/<service>/tc3_request \n hex(sha256(CanonicalRequest))
//   key              = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request")
//   Authorization    = TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=<…>, Signature=hex(HMAC(key, StringToSign))
// Pure: the caller supplies the time. Tested against the document's worked example.
import { createHash, createHmac } from 'node:crypto';

const sha256hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, msg: string) => createHmac('sha256', key).update(msg, 'utf8').digest();

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  /** Product, the first label of the host: `tmt`, `cvm`. */
  service: string;
  host: string;
  /** Unix seconds; the scope's date is its UTC date. */
  timestamp: number;
  payload: string;
  method?: 'POST' | 'GET';
  query?: string;
  /** Signed headers besides host (lower-case names): content-type at least. */
  headers: Record<string, string>;
}

export interface Tc3Result {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  signedHeaders: string;
}

export function tc3Sign(input: Tc3Input): Tc3Result {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const all: Record<string, string> = { host: input.host };
  for (const [k, v] of Object.entries(input.headers)) all[k.toLowerCase()] = v;
  const names = Object.keys(all).sort();
  const canonicalHeaders = names.map((n) => `${n}:${all[n]!.trim().toLowerCase()}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [input.method ?? 'POST', '/', input.query ?? '', canonicalHeaders, signedHeaders, sha256hex(input.payload)].join('\n');
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request');
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return {
    authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    signature,
    canonicalRequest,
    stringToSign,
    signedHeaders,
  };
}
