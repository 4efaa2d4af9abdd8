// One webhook POST: node:http(s) with a total deadline, redirects never followed (a 3xx is a
// failed attempt), and — unless WEBHOOK_ALLOW_PRIVATE_URLS — no connection to loopback,
// private, link-local or other non-public addresses, checked on the address actually
// connected to (a lookup hook), so a DNS name that resolves (or re-resolves) to an internal
// address is refused too. The response body is read and discarded (at most 64 KiB).
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

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

function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
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

export interface SendResult {
  ok: boolean;
  /** HTTP status, when an answer came. */
  status: number | null;
  /** Why it failed (status text, timeout, refused …). */
  error: string;
}

export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { timeoutMs: number; allowPrivate: boolean },
): Promise<SendResult> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve({ ok: false, status: null, error: 'invalid URL' });
    }
    if (!opts.allowPrivate && isPrivateHost(u.hostname)) return resolve({ ok: false, status: null, error: `${u.hostname} is not a public address` });
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (r: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = request(u, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      ...(opts.allowPrivate ? {} : { lookup: publicOnlyLookup as never }),
    });
    // The whole attempt (connect, send, answer) within the deadline.
    const timer = setTimeout(() => {
      done({ ok: false, status: null, error: `no answer within ${opts.timeoutMs} ms` });
      req.destroy();
    }, opts.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, status: null, error: err.code ? `${err.code}: ${err.message}` : err.message }));
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > 65536) res.destroy();
      });
      const finish = () => {
        if (status >= 200 && status < 300) done({ ok: true, status, error: '' });
        else if (status >= 300 && status < 400) done({ ok: false, status, error: `redirect to ${res.headers.location ?? '?'} not followed` });
        else done({ ok: false, status, error: `HTTP ${status}` });
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    req.end(body);
  });
}
