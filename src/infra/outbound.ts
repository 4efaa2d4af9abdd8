// The one outbound HTTP client (undici): webhooks, translation, telephony, SMS and the VOD
// proxy all send through outboundRequest. What every call gets:
//   - one total deadline (connect, send, headers and body) — `timeoutMs`
//   - redirects never followed: a 3xx is an answer the caller sees (a redirect could leave
//     an allow-list or reach an internal address)
//   - a response-size cap: beyond `maxResponseBytes` the call fails (too-large), or the body
//     is cut there when the caller only wants the status (`truncate`)
//   - unless `allowPrivate`, no connection to loopback, private, link-local, CGNAT, multicast
//     or unspecified addresses, checked in the connector's DNS lookup on the addresses
//     actually connected to (a name that resolves — or re-resolves — to an internal address
//     is refused too), and on the URL's host when it is an IP literal (no lookup happens then)
//   - failures as one error type, OutboundError, of four kinds the callers map to their codes.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, request, type Dispatcher } from 'undici';

// ── the private-address guard ────────────────────────────────────────────────────

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** Loopback, private, link-local, CGNAT, multicast, unspecified … (IPv4-mapped IPv6 as its IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const a = mapped ? mapped[1]! : address;
  const family = isIP(a);
  if (family === 0) return true;
  return blocked.check(a, family === 4 ? 'ipv4' : 'ipv6');
}

/** The URL's host when it is an IP literal or a name that is local by definition. */
export function isPrivateHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal')) return true;
  return isIP(h) !== 0 && isPrivateAddress(h);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that fails with EPRIVATEADDRESS when any address of the name is not public. */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad)
      return callback(Object.assign(new Error(`${hostname} resolves to a non-public address (${bad.address})`), { code: 'EPRIVATEADDRESS' }), '');
    if (options.all) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
}

// Two connection pools: the guarded one resolves names through publicOnlyLookup (net.connect
// calls it for every connection it opens, so a pooled socket was checked when it was opened).
const publicOnlyAgent = new Agent({ connect: { lookup: publicOnlyLookup } });
const anyAddressAgent = new Agent();

// ── the request ──────────────────────────────────────────────────────────────────

export type OutboundErrorKind = 'timeout' | 'refused-address' | 'network' | 'too-large';

export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  constructor(
    readonly kind: OutboundErrorKind,
    message: string,
    /** The system error code when there is one (ECONNREFUSED, ENOTFOUND, EPRIVATEADDRESS …). */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface OutboundOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** The whole call — connect, send, headers, body — within this. */
  timeoutMs: number;
  /** Connect to loopback/private/… addresses too (operator-configured URLs, trusted tenants, tests). */
  allowPrivate: boolean;
  /** Default 1 MiB. */
  maxResponseBytes?: number;
  /** Past the cap, cut the body there instead of failing (callers that only want the status). */
  truncate?: boolean;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body went past maxResponseBytes and was cut (only with `truncate`). */
  truncated: boolean;
}

const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** Sends one request; resolves with any answer (3xx, 4xx, 5xx included), rejects with OutboundError only. */
export async function outboundRequest(url: string, o: OutboundOptions): Promise<OutboundResponse> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new OutboundError('network', 'invalid URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new OutboundError('network', `unsupported protocol ${u.protocol}`);
  // An IP literal is connected to without a lookup, so the connector's check never sees it.
  if (!o.allowPrivate && isPrivateHost(u.hostname)) throw new OutboundError('refused-address', `${u.hostname} is not a public address`);

  const max = o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), o.timeoutMs);
  try {
    const res = await request(u, {
      method: o.method ?? 'GET',
      ...(o.headers ? { headers: o.headers } : {}),
      ...(o.body !== undefined ? { body: o.body } : {}),
      signal: deadline.signal,
      dispatcher: o.allowPrivate ? anyAddressAgent : publicOnlyAgent,
    });
    const { body, truncated } = await readCapped(res.body, max, o.truncate === true, url);
    return { status: res.statusCode, headers: res.headers, body, truncated };
  } catch (err) {
    if (err instanceof OutboundError) throw err;
    if (deadline.signal.aborted) throw new OutboundError('timeout', `no answer within ${o.timeoutMs} ms`, undefined, { cause: err });
    const code = (err as NodeJS.ErrnoException).code;
    const message = err instanceof Error ? err.message : String(err);
    if (code === 'EPRIVATEADDRESS') throw new OutboundError('refused-address', message, code, { cause: err });
    throw new OutboundError('network', message, code, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(
  body: Dispatcher.ResponseData['body'],
  max: number,
  truncate: boolean,
  url: string,
): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let read = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (read + chunk.length > max) {
      chunks.push(chunk.subarray(0, max - read));
      body.destroy();
      if (!truncate) throw new OutboundError('too-large', `${new URL(url).host} answered more than ${max} bytes`);
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    read += chunk.length;
  }
  return { body: Buffer.concat(chunks), truncated: false };
}
