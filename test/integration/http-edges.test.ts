// CORS (@fastify/cors) and security headers (@fastify/helmet) on the API and the pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({ CORS_ORIGINS: 'https://app.example' });
});
afterAll(() => srv?.close());

describe('CORS', () => {
  it('a preflight from an allowed origin answers 204 with the methods and headers the API takes', async () => {
    const r = await fetch(`${srv.url}/v1/auth/login`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(r.headers.get('access-control-allow-methods')).toContain('POST');
    expect(r.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });
  it('another origin gets no CORS grant; answers expose Retry-After to allowed origins', async () => {
    const other = await fetch(`${srv.url}/healthz`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const ok = await fetch(`${srv.url}/healthz`, { headers: { origin: 'https://app.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(ok.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
  });
});

describe('security headers', () => {
  it('API answers and pages carry helmet headers; pages a CSP of self', async () => {
    const api = await fetch(`${srv.url}/healthz`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('strict-transport-security')).toMatch(/max-age=/);
    const page = await fetch(`${srv.url}/dashboard`);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('x-powered-by')).toBeNull();
  });
});
