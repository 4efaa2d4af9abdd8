// The outbound HTTP client against real local servers: deadline, redirects, size cap and the
// private-address guard (on the URL's literal host and on the address a name resolves to).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { lookup } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress, OutboundError, outboundRequest, publicOnlyLookup } from '../../src/infra/outbound.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const routes = new Map<string, Handler>();
let server: Server;
let base: string;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const h = routes.get(req.url ?? '');
      if (h) h(req, res, body);
      else res.writeHead(404).end('no route');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const allowed = { timeoutMs: 2000, allowPrivate: true };

/** The OutboundError a call rejects with (fails the test when it resolves). */
async function failure(p: Promise<unknown>): Promise<OutboundError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutboundError);
  return err as OutboundError;
}

describe('outboundRequest', () => {
  it('sends method, headers and body as given and returns status, headers and body', async () => {
    routes.set('/echo', (req, res, body) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-seen': 'yes' });
      res.end(JSON.stringify({ method: req.method, ct: req.headers['content-type'], sig: req.headers['x-sig'], body }));
    });
    const r = await outboundRequest(`${base}/echo`, {
      ...allowed,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sig': 'v1=abc' },
      body: '{"a":"é"}',
    });
    expect(r.status).toBe(201);
    expect(r.headers['x-seen']).toBe('yes');
    expect(r.truncated).toBe(false);
    expect(JSON.parse(r.body.toString('utf8'))).toEqual({ method: 'POST', ct: 'application/json', sig: 'v1=abc', body: '{"a":"é"}' });
  });

  it('fails with kind timeout when the answer does not come within the deadline (headers or body)', async () => {
    routes.set('/silent', () => undefined);
    routes.set('/slow-body', (_req, res) => {
      res.writeHead(200);
      res.write('part');
    });
    for (const path of ['/silent', '/slow-body']) {
      const started = Date.now();
      const err = await failure(outboundRequest(`${base}${path}`, { timeoutMs: 300, allowPrivate: true }));
      expect(err.kind, path).toBe('timeout');
      expect(err.message).toBe('no answer within 300 ms');
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it('never follows a redirect: the 3xx is the answer', async () => {
    let followed = false;
    routes.set('/moved', (_req, res) => res.writeHead(302, { location: '/target' }).end());
    routes.set('/target', (_req, res) => {
      followed = true;
      res.end('target');
    });
    const r = await outboundRequest(`${base}/moved`, { ...allowed, method: 'POST', body: 'x' });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/target');
    expect(followed).toBe(false);
  });

  it('caps the response: too-large, or cut there with truncate', async () => {
    routes.set('/big', (_req, res) => res.end('x'.repeat(100_000)));
    const err = await failure(outboundRequest(`${base}/big`, { ...allowed, maxResponseBytes: 1000 }));
    expect(err.kind).toBe('too-large');
    expect(err.message).toBe(`127.0.0.1:${port} answered more than 1000 bytes`);
    const cut = await outboundRequest(`${base}/big`, { ...allowed, maxResponseBytes: 1000, truncate: true });
    expect(cut).toMatchObject({ status: 200, truncated: true });
    expect(cut.body.length).toBe(1000);
    const fits = await outboundRequest(`${base}/big`, { ...allowed, maxResponseBytes: 100_000 });
    expect(fits).toMatchObject({ status: 200, truncated: false });
    expect(fits.body.length).toBe(100_000);
  });

  it('refuses private addresses unless allowed: literal hosts, local names, names resolving to one', async () => {
    routes.set('/hit', (_req, res) => res.end('hit'));
    const guarded = { timeoutMs: 2000, allowPrivate: false };
    for (const url of [`${base}/hit`, `http://localhost:${port}/hit`, `http://[::ffff:127.0.0.1]:${port}/hit`]) {
      const err = await failure(outboundRequest(url, guarded));
      expect(err.kind, url).toBe('refused-address');
      expect(err.message).toMatch(/is not a public address$/);
    }
    // The connector's lookup: a name whose address is loopback is refused before connecting.
    const viaDns = await new Promise<NodeJS.ErrnoException | null>((resolve) => publicOnlyLookup('localhost', {}, (e) => resolve(e)));
    expect(viaDns).toMatchObject({ code: 'EPRIVATEADDRESS', message: expect.stringMatching(/^localhost resolves to a non-public address/) });
    const viaDnsAll = await new Promise<NodeJS.ErrnoException | null>((resolve) => publicOnlyLookup('localhost', { all: true }, (e) => resolve(e)));
    expect(viaDnsAll).toMatchObject({ code: 'EPRIVATEADDRESS' });

    // Allowed: the same URLs connect.
    expect((await outboundRequest(`${base}/hit`, allowed)).body.toString()).toBe('hit');
    expect((await outboundRequest(`http://localhost:${port}/hit`, allowed)).status).toBe(200);
  });

  it('refuses in the connector a name that is not local by spelling but resolves to a private address', async () => {
    // 127.0.0.1.nip.io-style names need the internet; the machine's own name needs nothing but is
    // not always private (a host with a public address): skip then.
    const own = hostname();
    const resolved = await lookup(own).catch(() => null);
    if (!resolved || !isPrivateAddress(resolved.address)) return;
    const err = await failure(outboundRequest(`http://${own}:${port}/hit`, { timeoutMs: 2000, allowPrivate: false }));
    expect(err).toMatchObject({ kind: 'refused-address', code: 'EPRIVATEADDRESS' });
    expect(err.message.startsWith(`${own} resolves to a non-public address`), err.message).toBe(true);
    // Allowed, it connects (our server listens on loopback only, so only when the name is loopback).
    if (resolved.address.startsWith('127.')) expect((await outboundRequest(`http://${own}:${port}/hit`, allowed)).status).toBe(200);
  });

  it('reports connection failures and bad URLs as kind network, with the system code', async () => {
    const refused = await failure(outboundRequest('http://127.0.0.1:9/x', allowed));
    expect(refused).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
    expect(await failure(outboundRequest('not a url', allowed))).toMatchObject({ kind: 'network', message: 'invalid URL' });
    expect(await failure(outboundRequest('ftp://example.com/x', allowed))).toMatchObject({ kind: 'network' });
  });
});
