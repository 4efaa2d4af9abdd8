import { describe, expect, it } from 'vitest';
import { allowedOrigins, ConfigError, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('has a default for everything optional', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      QUEUE_PREFIX: 'sb',
      KEY_PREFIX: 'sw',
      DATA_DIR: 'data',
      SOCKET_ADAPTER: 'streams',
      TOKEN_TTL_SECONDS: 604800,
    });
    expect(c.ADMIN_TOKEN).toBeUndefined();
  });

  it('converts env strings to numbers', () => {
    expect(loadConfig({ PORT: '8080', TENCENT_SDKAPPID: '1400000000' })).toMatchObject({ PORT: 8080, TENCENT_SDKAPPID: 1400000000 });
  });

  it('names every invalid variable and what it must be', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', SOCKET_ADAPTER: 'carrier-pigeon', ADMIN_TOKEN: 'short', REDIS_URL: 'http://x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('PORT="eighty"');
    expect(msg).toContain('SOCKET_ADAPTER="carrier-pigeon": must be one of pubsub, sharded, streams');
    expect(msg).toContain('ADMIN_TOKEN="short"');
    expect(msg).toContain('REDIS_URL="http://x"');
    expect(msg).not.toContain('HOST');
  });

  it('refuses out-of-range numbers', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT="70000"/);
  });

  it('parses the origin allowlist', () => {
    expect(allowedOrigins(loadConfig({}))).toBe(true);
    expect(allowedOrigins(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }))).toEqual(['https://a.example', 'https://b.example']);
  });
});
