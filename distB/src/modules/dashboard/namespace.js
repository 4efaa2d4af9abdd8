import { allowedOrigins } from '../../config.js';
import { checkAdminToken } from '../../infra/auth.js';
import { DASHBOARD_WATCH_RENEW_MS } from '../../infra/dashboard-watch.js';
import { socketRooms, tellAndClose } from '../../infra/emitter.js';
import { AppError, toPublicError } from '../../infra/errors.js';
import { parse } from '../../infra/validation.js';
import { checkOrigin, connectError, takeToken } from '../../realtime/gateway.js';
import { DashboardAuth, SnapshotRequest } from './schemas.js';
export const DASHBOARD_NAMESPACE = '/dashboard';
/** What a dashboard watches, as leases: its apps, or '*' for an admin watching every app. */
const watchKeys = (d) => (d.allApps ? ['*'] : d.appids);
export function attachDashboard(io, core, services) {
    const { config, log } = core;
    const { accounts, dashboard } = services;
    const nsp = io.of(DASHBOARD_NAMESPACE);
    const origins = allowedOrigins(config);
    /**
     * An app dashboard's secret, checked again at every push (a rotation closes it). Kept beside
     * the socket, not in socket.data, which connection state recovery writes to Redis.
     */
    const secrets = new WeakMap();
    async function viewerOf(raw) {
        // pid and offset are what socket.io-client adds on a reconnect (connection state recovery).
        const { pid: _pid, offset: _offset, ...given } = (raw ?? {});
        if (given.secret === undefined && given.adminToken === undefined) {
            throw new AppError('AUTH_REQUIRED', 'pass auth: {appid, secret} (app credentials) or {adminToken, appid?}');
        }
        const auth = parse(DashboardAuth, given, 'dashboard auth');
        if ('secret' in auth) {
            const app = await accounts.verifyAppSecret(auth.appid, auth.secret);
            return { admin: false, appids: [app.appid], secret: auth.secret };
        }
        checkAdminToken(config.ADMIN_TOKEN, auth.adminToken);
        if (auth.appid !== undefined)
            return { admin: true, appids: [(await accounts.getApp(auth.appid)).appid] };
        return { admin: true, allApps: true, appids: (await accounts.listApps()).map((a) => a.appid) };
    }
    nsp.use(async (socket, next) => {
        try {
            checkOrigin(origins, socket.handshake.headers.origin);
            const { secret, ...viewer } = await viewerOf(socket.handshake.auth);
            const data = { ...viewer, bucket: [config.SOCKET_RATE_BURST, Date.now(), 0] };
            socket.data = data;
            if (secret !== undefined)
                secrets.set(socket, secret);
            next();
        }
        catch (err) {
            if (!(err instanceof AppError))
                log.error({ err }, 'dashboard handshake failed');
            next(connectError(err));
        }
    });
    /**
     * To one socket of this node, written at once. A plain socket.emit goes through the adapter
     * when connection state recovery is on (the streams adapter: an XADD every node reads back);
     * snapshots and pushes need no replay — a reconnect brings a fresh snapshot.
     */
    function toSocket(socket, event, data) {
        nsp.local.to(socket.id).emit(event, data);
    }
    async function sendSnapshot(socket) {
        const data = socket.data;
        toSocket(socket, 'dashboard.snapshot', await dashboard.snapshot(data));
    }
    nsp.on('connection', (socket) => {
        const data = socket.data;
        // Join first, read second: an event that lands while the snapshot is read reaches the
        // page too, which applies the events received since connecting after the snapshot.
        void socket.join(data.appids.map((appid) => socketRooms.dashboard(appid)));
        startPush();
        // Every node learns that these apps are watched (it stops skipping their dashboard
        // pushes) before the snapshot is read, so no change falls between the two.
        core.dashboardWatch
            .announce(watchKeys(data), { wait: true })
            .then(() => sendSnapshot(socket))
            .catch((err) => log.error({ err, appids: data.appids }, 'dashboard snapshot failed'));
        socket.onAny((event, ...args) => void handle(socket, event, args));
        socket.on('disconnect', () => {
            if (nsp.sockets.size === 0)
                stopPush();
        });
    });
    async function handle(socket, event, args) {
        const data = socket.data;
        const ack = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
        const fail = (err) => {
            const { body } = toPublicError(err);
            if (ack)
                ack({ ok: false, error: body });
            else
                toSocket(socket, 'dashboard.error', { event, ...body });
        };
        if (!takeToken(data.bucket, Date.now(), config)) {
            fail(new AppError('RATE_LIMITED', `more than ${config.SOCKET_RATE_PER_SECOND} events/s`));
            if (data.bucket[2] >= config.SOCKET_FLOOD_STRIKES)
                socket.disconnect(true);
            return;
        }
        if (event !== 'dashboard.snapshot')
            return fail(new AppError('UNKNOWN_EVENT', `no event ${event} on ${DASHBOARD_NAMESPACE}; the only one is dashboard.snapshot`));
        try {
            parse(SnapshotRequest, args[0] ?? {}, `${event} payload`);
            const snap = await dashboard.snapshot(data);
            ack?.({ ok: true, data: snap });
            if (!ack)
                toSocket(socket, 'dashboard.snapshot', snap);
        }
        catch (err) {
            if (!(err instanceof AppError))
                log.error({ err, event }, 'dashboard handler failed');
            fail(err);
        }
    }
    // ── the periodic push ────────────────────────────────────────────────────────
    // One timer per node, only while this node holds dashboard sockets; it reads each
    // watched app once per period whatever the number of its dashboards, and emits to this
    // node's sockets only (every node serves its own; nothing crosses the adapter).
    let timer = null;
    let running = false;
    let renewedAt = Date.now();
    /** Renews the leases of the apps this node's dashboards watch (infra/dashboard-watch.ts). */
    function renewWatch(sockets) {
        if (Date.now() - renewedAt < DASHBOARD_WATCH_RENEW_MS)
            return;
        renewedAt = Date.now();
        void core.dashboardWatch.announce([...new Set(sockets.flatMap((s) => watchKeys(s.data)))]);
    }
    function startPush() {
        if (timer)
            return;
        timer = setInterval(() => void push(), config.DASHBOARD_QUEUES_INTERVAL_MS);
        timer.unref();
    }
    function stopPush() {
        if (timer)
            clearInterval(timer);
        timer = null;
    }
    async function push() {
        if (running)
            return; // a slow Redis: skip a period rather than pile reads up
        running = true;
        try {
            const sockets = await closeStale([...nsp.sockets.values()]);
            if (sockets.length === 0)
                return stopPush();
            await followNewApps(sockets);
            const watched = [...new Set(sockets.flatMap((s) => s.data.appids))];
            renewWatch(sockets);
            const [queues, lives] = await Promise.all([dashboard.queues(), Promise.all(watched.map((appid) => dashboard.live(appid)))]);
            const byApp = new Map(lives.map((l) => [l.appid, l]));
            const serverTime = Date.now();
            for (const s of sockets) {
                const v = s.data;
                const payload = { serverTime, queues: dashboard.queuesFor(v, queues), apps: v.appids.flatMap((a) => byApp.get(a) ?? []) };
                toSocket(s, 'dashboard.queues', payload);
            }
        }
        catch (err) {
            log.warn({ err }, 'dashboard push failed');
        }
        finally {
            running = false;
        }
    }
    /**
     * Admins watching every app join the dashboard room of each app created since they
     * connected, and get a fresh snapshot that includes it (the app list is read once per
     * period, and only while such an admin is connected to this node).
     */
    async function followNewApps(sockets) {
        const followers = sockets.filter((s) => s.data.allApps);
        if (followers.length === 0)
            return;
        // One SMEMBERS per period; an app record is read only for an id not followed yet (and
        // skipped if it vanished in between, as listApps would).
        const appids = await accounts.listAppIds();
        const known = new Set(followers.flatMap((s) => s.data.appids));
        const fresh = appids.filter((appid) => !known.has(appid));
        const existing = new Set((await Promise.all(fresh.map((appid) => accounts.getApp(appid).then(() => appid, () => null)))).filter((a) => a !== null));
        for (const s of followers) {
            const v = s.data;
            const added = appids.filter((appid) => !v.appids.includes(appid) && (known.has(appid) || existing.has(appid)));
            if (added.length === 0)
                continue;
            v.appids = [...v.appids, ...added];
            await s.join(added.map((appid) => socketRooms.dashboard(appid)));
            await sendSnapshot(s);
        }
    }
    /**
     * App dashboards whose secret no longer opens the app (rotated without grace, or the grace
     * ran out, or the app is gone) are told why and closed; the others are returned.
     */
    async function closeStale(sockets) {
        const verdicts = new Map();
        const checked = await Promise.all(sockets.map(async (s) => {
            const v = s.data;
            const secret = secrets.get(s);
            if (v.admin || secret === undefined)
                return s;
            const appid = v.appids[0];
            const key = `${appid}\n${secret}`;
            if (!verdicts.has(key))
                verdicts.set(key, accounts.verifyAppSecret(appid, secret).then(() => null, (err) => err));
            const err = await verdicts.get(key);
            if (err === null)
                return s;
            if (!(err instanceof AppError))
                throw err; // Redis trouble: keep the socket, skip this push
            tellAndClose(s, 'dashboard.revoked', toPublicError(err).body);
            return null;
        }));
        return checked.filter((s) => s !== null);
    }
    return { stop: stopPush };
}
//# sourceMappingURL=namespace.js.map