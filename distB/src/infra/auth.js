import { safeEqual } from './passwords.js';
import { AppError } from './errors.js';
export function parseAuthorization(header) {
    if (!header)
        return null;
    const [scheme, value] = header.split(' ', 2);
    if (!scheme || !value)
        return null;
    if (scheme.toLowerCase() === 'bearer')
        return { scheme: 'bearer', token: value.trim() };
    if (scheme.toLowerCase() === 'basic') {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        if (i < 0)
            return null;
        return { scheme: 'basic', user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
    }
    return null;
}
/** Throws unless `given` is the ADMIN_TOKEN: ADMIN_DISABLED when none is set, else ADMIN_AUTH_FAILED. */
export function checkAdminToken(adminToken, given) {
    if (adminToken === undefined)
        throw new AppError('ADMIN_DISABLED');
    if (given === undefined || !safeEqual(given, adminToken))
        throw new AppError('ADMIN_AUTH_FAILED');
}
export function createAuth(accounts, adminToken) {
    function isAdmin(req) {
        const a = parseAuthorization(req.headers.authorization);
        return a?.scheme === 'bearer' && adminToken !== undefined && safeEqual(a.token, adminToken);
    }
    async function app(req, appid) {
        const a = parseAuthorization(req.headers.authorization);
        if (a?.scheme !== 'basic')
            throw new AppError('AUTH_REQUIRED', 'app credentials required: Authorization: Basic base64(appid:secret)');
        const record = await accounts.verifyAppSecret(a.user, a.pass);
        if (appid !== undefined && appid !== record.appid)
            throw new AppError('CROSS_TENANT', `these credentials are for app ${record.appid}, not ${appid}`);
        return record;
    }
    return {
        async user(req) {
            const a = parseAuthorization(req.headers.authorization);
            if (a?.scheme !== 'bearer')
                throw new AppError('AUTH_REQUIRED', 'a user token is required: Authorization: Bearer <token>');
            return accounts.authenticate(a.token);
        },
        app,
        admin(req) {
            const a = parseAuthorization(req.headers.authorization);
            checkAdminToken(adminToken, a?.scheme === 'bearer' ? a.token : undefined);
        },
        async appOrAdmin(req, appid) {
            if (isAdmin(req))
                return { kind: 'admin' };
            return { kind: 'app', app: await app(req, appid) };
        },
        async appOrUser(req) {
            const a = parseAuthorization(req.headers.authorization);
            if (a?.scheme === 'basic')
                return { kind: 'app', app: await app(req) };
            if (a?.scheme === 'bearer')
                return { kind: 'user', session: await accounts.authenticate(a.token) };
            throw new AppError('AUTH_REQUIRED', 'authenticate: Authorization: Bearer <user token>, or Basic base64(appid:secret) from the app backend');
        },
    };
}
//# sourceMappingURL=auth.js.map