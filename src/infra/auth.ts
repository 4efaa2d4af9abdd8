// The pieces of authentication that need no feature: reading the Authorization header and
// checking the ADMIN_TOKEN. Users and apps are authenticated by the accounts module
// (src/modules/accounts/auth-plugin.ts), from each route's `schema.security`.
import { safeEqual } from './passwords.js';
import { AppError } from './errors.js';

export function parseAuthorization(
  header: string | undefined,
): { scheme: 'bearer'; token: string } | { scheme: 'basic'; user: string; pass: string } | null {
  if (!header) return null;
  const [scheme, value] = header.split(' ', 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === 'bearer') return { scheme: 'bearer', token: value.trim() };
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return null;
    return { scheme: 'basic', user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
  }
  return null;
}

/** Throws unless `given` is the ADMIN_TOKEN: ADMIN_DISABLED when none is set, else ADMIN_AUTH_FAILED. */
export function checkAdminToken(adminToken: string | undefined, given: string | undefined): void {
  if (adminToken === undefined) throw new AppError('ADMIN_DISABLED');
  if (given === undefined || !safeEqual(given, adminToken)) throw new AppError('ADMIN_AUTH_FAILED');
}
