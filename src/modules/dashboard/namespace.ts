// The /dashboard Socket.IO namespace, on the same server as the apps' sessions.
//
// Handshake: `auth: {appid, secret}` (an app sees its own app) or `auth: {adminToken,
// appid?}` (the admin sees every app, or the one it picked); the origin allowlist of the
// main namespace applies. A socket joins `dash:<appid>` of each app it watches, which is
// where every business event (core.events.publish) and room.state already go, through
// the Redis adapter, from any api or worker node. On every (re)connect it gets a
// `dashboard.snapshot`; `dashboard.snapshot` (with an ack) asks for one again.
//
// Queue depths change with no event, and agents, the dispatch queue, pairing asks and
// running charges have events for only some of their changes: one timer per api node,
// running while this node holds dashboard sockets, pushes `dashboard.queues` to them every
// DASHBOARD_QUEUES_INTERVAL_MS (docs/decisions.md says why a timer here and not a job).
//
// Charts (admin only: they show the whole deployment): `dashboard.charts` subscribes the
// socket; its ack carries the last DASHBOARD_HISTORY_SECONDS, then `dashboard.charts.point`
// brings each new point (charts.ts; the samples come from every process's sampler.ts, this
// node's started here). docs/dashboard.md has the design and its cost.
import type { Server, Socket } from 'socket.io';
import { dashboardContract } from './contract.js';
import { allowedOrigins } from '../../infra/config.js';
import { checkAdminToken } from '../../infra/auth.js';
import type { Core } from '../../infra/core.js';
import { DASHBOARD_WATCH_RENEW_MS } from '../../infra/dashboard-watch.js';
import { socketRooms, tellAndClose, type DashboardEvents } from '../../infra/emitter.js';
import { AppError, toPublicError } from '../../infra/errors.js';
import { parse } from '../../infra/validation.js';
import {
  answer,
  answerError,
  flooding,
  fullBucket,
  rateLimited,
  readPayload,
  takeAck,
  takeToken,
  useHandshake,
  type AckFn,
} from '../../realtime/kernel.js';
import type { AccountsService } from '../accounts/service.js';
import { createChartFeed } from './charts.js';
import { startSampler, type DeploymentSources } from './sampler.js';
import { DashboardAuth, type DashboardQueuesT } from './schemas.js';
import type { DashboardService, Viewer } from './service.js';

export const DASHBOARD_NAMESPACE = '/dashboard';
/** The local room of this node's sockets subscribed to the charts (no appid can look like it: no `dash:`). */
const CHARTS_ROOM = 'charts';

/** What a dashboard watches, as leases: its apps, or '*' for an admin watching every app. */
const watchKeys = (d: { allApps?: boolean; appids: string[] }) => (d.allApps ? ['*'] : d.appids);

interface DashboardSocketData extends Viewer {
  /** An admin watching every app (no appid picked): follows apps created after it connected. */
  allApps?: boolean;
  /** token bucket, as the main namespace's (gateway.takeToken) */
  bucket: [number, number, number];
}

export interface DashboardNamespace {
  /** Stops the periodic push (api shutdown). */
  stop(): void;
}

export function attachDashboard(
  io: Server,
  core: Core,
  services: { accounts: AccountsService; dashboard: DashboardService } & DeploymentSources,
): DashboardNamespace {
  const { config, log } = core;
  const { accounts, dashboard } = services;
  const nsp = io.of(DASHBOARD_NAMESPACE);
  const origins = allowedOrigins(config);
  /**
   * An app dashboard's secret, checked again at every push (a rotation closes it). Kept beside
   * the socket, not in socket.data, which connection state recovery writes to Redis.
   */
  const secrets = new WeakMap<Socket, string>();
  // This process's sampler (one per node, whatever the number of dashboards), and the feed
  // of merged points, running while this node has a subscribed dashboard.
  const sampler = startSampler(core, 'api', { io, sources: services });
  const charts = createChartFeed(core, (point) => nsp.local.to(CHARTS_ROOM).emit('dashboard.charts.point', point));
  const chartSockets = new Set<Socket>();

  async function viewerOf(raw: unknown): Promise<Viewer & { allApps?: boolean; secret?: string }> {
    // pid and offset are what socket.io-client adds on a reconnect (connection state recovery).
    const { pid: _pid, offset: _offset, ...given } = (raw ?? {}) as Record<string, unknown>;
    if (given.secret === undefined && given.adminToken === undefined) {
      throw new AppError('AUTH_REQUIRED', 'pass auth: {appid, secret} (app credentials) or {adminToken, appid?}');
    }
    const auth = parse(DashboardAuth, given, 'dashboard auth');
    if ('secret' in auth) {
      const app = await accounts.verifyAppSecret(auth.appid, auth.secret);
      return { admin: false, appids: [app.appid], secret: auth.secret };
    }
    checkAdminToken(config.ADMIN_TOKEN, auth.adminToken);
    if (auth.appid !== undefined) return { admin: true, appids: [(await accounts.getApp(auth.appid)).appid] };
    return { admin: true, allApps: true, appids: (await accounts.listApps()).map((a) => a.appid) };
  }

  useHandshake(nsp, { origins, log, logMessage: 'dashboard handshake failed' }, async (socket): Promise<DashboardSocketData> => {
    const { secret, ...viewer } = await viewerOf(socket.handshake.auth);
    if (secret !== undefined) secrets.set(socket, secret);
    return { ...viewer, bucket: fullBucket(config) };
  });

  /**
   * To one socket of this node, written at once. A plain socket.emit goes through the adapter
   * when connection state recovery is on (the streams adapter: an XADD every node reads back);
   * snapshots and pushes need no replay — a reconnect brings a fresh snapshot.
   */
  function toSocket<E extends keyof DashboardEvents>(socket: Socket, event: E, data: DashboardEvents[E]): void {
    nsp.local.to(socket.id).emit(event, data);
  }

  async function sendSnapshot(socket: Socket): Promise<void> {
    const data = socket.data as DashboardSocketData;
    toSocket(socket, 'dashboard.snapshot', await dashboard.snapshot(data));
  }

  nsp.on('connection', (socket) => {
    const data = socket.data as DashboardSocketData;
    // Join first, read second: an event that lands while the snapshot is read reaches the
    // page too, which applies the events received since connecting after the snapshot.
    void socket.join(data.appids.map((appid) => socketRooms.dashboard(appid)));
    startPush();
    // Every node learns that these apps are watched (it stops skipping their dashboard
    // pushes) before the snapshot is read, so no change falls between the two.
    core.dashboardWatch
      .announce(watchKeys(data), { wait: true })
      .then(() => sendSnapshot(socket))
      .catch((err: unknown) => log.error({ err, appids: data.appids }, 'dashboard snapshot failed'));
    socket.onAny((event: string, ...args: unknown[]) => void handle(socket, event, args));
    socket.on('disconnect', () => {
      if (nsp.sockets.size === 0) stopPush();
      if (chartSockets.delete(socket) && chartSockets.size === 0) charts.idle();
    });
  });

  async function handle(socket: Socket, event: string, args: unknown[]): Promise<void> {
    const data = socket.data as DashboardSocketData;
    const ack = takeAck(args);
    const fail = (err: unknown) => answerError(ack, event, err, (body) => toSocket(socket, 'dashboard.error', body));
    if (!takeToken(data.bucket, Date.now(), config)) {
      fail(rateLimited(config));
      if (flooding(data.bucket, config)) socket.disconnect(true);
      return;
    }
    if (event === 'dashboard.charts') {
      return subscribeCharts(socket, args[0], ack).catch((err: unknown) => {
        if (!(err instanceof AppError)) log.error({ err }, 'dashboard charts subscription failed');
        fail(err);
      });
    }
    if (event !== 'dashboard.snapshot')
      return fail(
        new AppError('UNKNOWN_EVENT', `no event ${event} on ${DASHBOARD_NAMESPACE}; the events are dashboard.snapshot and dashboard.charts`),
      );
    try {
      readPayload(dashboardContract.client['dashboard.snapshot'].request, args[0], event);
      const snap = await dashboard.snapshot(data);
      answer(ack, snap);
      if (!ack) toSocket(socket, 'dashboard.snapshot', snap);
    } catch (err) {
      if (!(err instanceof AppError)) log.error({ err, event }, 'dashboard handler failed');
      fail(err);
    }
  }

  /** History in the ack (or as a `dashboard.charts` event without one), then every new point. */
  async function subscribeCharts(socket: Socket, payload: unknown, ack: AckFn | undefined): Promise<void> {
    if (!(socket.data as DashboardSocketData).admin)
      throw new AppError('FORBIDDEN', 'the charts show the whole deployment: open the dashboard with the admin token');
    const req = readPayload(dashboardContract.client['dashboard.charts'].request, payload, 'dashboard.charts');
    await charts.ready();
    if (!socket.connected) {
      if (chartSockets.size === 0) charts.idle();
      return;
    }
    // The history and the join in one turn: the first point pushed to it is the one after the history.
    const history = charts.history(req.since ?? 0);
    void socket.join(CHARTS_ROOM);
    chartSockets.add(socket);
    if (ack) answer(ack, history);
    else toSocket(socket, 'dashboard.charts', history);
  }

  // ── the periodic push ────────────────────────────────────────────────────────
  // One timer per node, only while this node holds dashboard sockets; it reads each
  // watched app once per period whatever the number of its dashboards, and emits to this
  // node's sockets only (every node serves its own; nothing crosses the adapter).
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let renewedAt = Date.now();

  /** Renews the leases of the apps this node's dashboards watch (infra/dashboard-watch.ts). */
  function renewWatch(sockets: Socket[]): void {
    if (Date.now() - renewedAt < DASHBOARD_WATCH_RENEW_MS) return;
    renewedAt = Date.now();
    void core.dashboardWatch.announce([...new Set(sockets.flatMap((s) => watchKeys(s.data as DashboardSocketData)))]);
  }

  function startPush(): void {
    if (timer) return;
    timer = setInterval(() => void push(), config.DASHBOARD_QUEUES_INTERVAL_MS);
    timer.unref();
  }
  function stopPush(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  async function push(): Promise<void> {
    if (running) return; // a slow Redis: skip a period rather than pile reads up
    running = true;
    try {
      const sockets = await closeStale([...nsp.sockets.values()]);
      if (sockets.length === 0) return stopPush();
      await followNewApps(sockets);
      const watched = [...new Set(sockets.flatMap((s) => (s.data as DashboardSocketData).appids))];
      renewWatch(sockets);
      const [queues, lives] = await Promise.all([dashboard.queues(), Promise.all(watched.map((appid) => dashboard.live(appid)))]);
      const byApp = new Map(lives.map((l) => [l.appid, l]));
      const serverTime = Date.now();
      for (const s of sockets) {
        const v = s.data as DashboardSocketData;
        const payload: DashboardQueuesT = { serverTime, queues: dashboard.queuesFor(v, queues), apps: v.appids.flatMap((a) => byApp.get(a) ?? []) };
        toSocket(s, 'dashboard.queues', payload);
      }
    } catch (err) {
      log.warn({ err }, 'dashboard push failed');
    } finally {
      running = false;
    }
  }

  /**
   * Admins watching every app join the dashboard room of each app created since they
   * connected, and get a fresh snapshot that includes it (the app list is read once per
   * period, and only while such an admin is connected to this node).
   */
  async function followNewApps(sockets: Socket[]): Promise<void> {
    const followers = sockets.filter((s) => (s.data as DashboardSocketData).allApps);
    if (followers.length === 0) return;
    // One SMEMBERS per period; an app record is read only for an id not followed yet (and
    // skipped if it vanished in between, as listApps would).
    const appids = await accounts.listAppIds();
    const known = new Set(followers.flatMap((s) => (s.data as DashboardSocketData).appids));
    const fresh = appids.filter((appid) => !known.has(appid));
    const existing = new Set(
      (
        await Promise.all(
          fresh.map((appid) =>
            accounts.getApp(appid).then(
              () => appid,
              () => null,
            ),
          ),
        )
      ).filter((a) => a !== null),
    );
    for (const s of followers) {
      const v = s.data as DashboardSocketData;
      const added = appids.filter((appid) => !v.appids.includes(appid) && (known.has(appid) || existing.has(appid)));
      if (added.length === 0) continue;
      v.appids = [...v.appids, ...added];
      await s.join(added.map((appid) => socketRooms.dashboard(appid)));
      await sendSnapshot(s);
    }
  }

  /**
   * App dashboards whose secret no longer opens the app (rotated without grace, or the grace
   * ran out, or the app is gone) are told why and closed; the others are returned.
   */
  async function closeStale(sockets: Socket[]): Promise<Socket[]> {
    const verdicts = new Map<string, Promise<unknown>>();
    const checked = await Promise.all(
      sockets.map(async (s) => {
        const v = s.data as DashboardSocketData;
        const secret = secrets.get(s);
        if (v.admin || secret === undefined) return s;
        const appid = v.appids[0]!;
        const key = `${appid}\n${secret}`;
        if (!verdicts.has(key))
          verdicts.set(
            key,
            accounts.verifyAppSecret(appid, secret).then(
              () => null,
              (err: unknown) => err,
            ),
          );
        const err = await verdicts.get(key);
        if (err === null) return s;
        if (!(err instanceof AppError)) throw err; // Redis trouble: keep the socket, skip this push
        tellAndClose(s, 'dashboard.revoked', toPublicError(err).body);
        return null;
      }),
    );
    return checked.filter((s): s is Socket => s !== null);
  }

  return {
    stop() {
      stopPush();
      sampler.stop();
      charts.idle();
    },
  };
}
