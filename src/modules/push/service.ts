// Push notifications (seed 004 §3.1.3): "so that iPhone users get system messages and
// signalling while the client is not in the foreground". A third-party user's APNs device
// id is stored by ajx/updateDeviceid.do (modules/thirdparty); an app's APNs settings are
// stored here. When a message finds its recipient without a socket — a web IM message, a
// tip/system message, a customer-service message — the feature calls `toOffline`, which
// enqueues one `push/send` job per recipient that has a device id, in an app that has APNs
// settings (checked first, cheaply: apps without APNs pay one EXISTS per message).
//
// The job (worker side, `send`) reads the settings and the device id again (either may have
// changed since), sends one alert through the app's cached APNs provider and settles the
// answer: 200 done; 410 / BadDeviceToken clears the device id if it is still the one sent to
// (compare-and-delete in Redis: a new id stored meanwhile stays); 429 / 5xx / network
// retried with backoff; 403 and other refusals final, logged. The job id is the message id
// and the recipient, so a message is pushed once however often it is enqueued; the
// apns-collapse-id is the message id too, so even a resend after a worker died between
// APNs' 200 and the job's completion shows once on the device.
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Core } from '../../infra/core.js';
import { AppError, isAppError } from '../../infra/errors.js';
import { apnsKeyFingerprint, buildAlertPayload, clip, createApnsProvider, normaliseApnsKey, type ApnsProvider } from '../../providers/apns/index.js';
import type { AccountsService } from '../accounts/service.js';
import type { ThirdPartyService } from '../thirdparty/service.js';
import type { ApnsSettingsBodyT, ApnsSettingsViewT, PushJobT, PushMessageT } from './schemas.js';
import { createPushStore, type StoredApns } from './store.js';

/** Longest alert title and (before the 4 KB fit) body: a lock screen shows a few lines anyway. */
const TITLE_MAX = 100;
const BODY_MAX = 2000;

export type PushService = ReturnType<typeof createPushService>;

export function createPushService(core: Core, deps: { accounts: AccountsService; thirdParty: ThirdPartyService }) {
  const { config, log, metrics, queues, emitter, redis, keys } = core;
  const { accounts, thirdParty } = deps;
  const store = createPushStore(redis, keys);
  /** This process's APNs connections, per app, with the settings revision they were built from. */
  const providers = new Map<string, { rev: string; provider: ApnsProvider }>();
  let extraCa: string | undefined;
  let extraCaRead = false;

  function caFile(): string | undefined {
    if (!extraCaRead && config.APNS_CA_FILE) extraCa = readFileSync(config.APNS_CA_FILE, 'utf8');
    extraCaRead = true;
    return extraCa;
  }

  function drop(appid: string): void {
    const hit = providers.get(appid);
    if (!hit) return;
    providers.delete(appid);
    // Requests in flight on it finish first (HTTP/2 graceful close).
    hit.provider.close().catch((err: unknown) => log.warn({ err, appid }, 'closing an APNs connection failed'));
  }

  /** The app's provider, built again when its settings changed on any node (rev). */
  function providerFor(appid: string, s: StoredApns): ApnsProvider {
    const hit = providers.get(appid);
    if (hit?.rev === s.rev) return hit.provider;
    if (hit) drop(appid);
    const provider = createApnsProvider(s, { requestTimeoutMs: config.APNS_REQUEST_TIMEOUT_MS, extraCa: caFile() });
    providers.set(appid, { rev: s.rev, provider });
    return provider;
  }

  function view(s: StoredApns): ApnsSettingsViewT {
    return {
      keyId: s.keyId,
      teamId: s.teamId,
      bundleId: s.bundleId,
      environment: s.environment,
      host: s.host ?? null,
      keyFingerprint: apnsKeyFingerprint(s.key),
      updatedAt: s.updatedAt,
    };
  }

  /**
   * Which of `uids` have no socket on any node. The online hash (set when a socket registers,
   * cleared when the user's last one closes: infra/sessions.ts, web IM) answers most in one
   * read; a user it still lists may be a leftover of a node that died, so those are counted
   * through the adapter.
   */
  async function withoutSocket(appid: string, uids: string[]): Promise<string[]> {
    const flags = await redis.hmget(keys.online(appid), ...uids);
    const counts = await Promise.all(uids.map((uid, i) => (flags[i] === null ? 0 : emitter.userSocketCount(appid, uid))));
    return uids.filter((_, i) => counts[i] === 0);
  }

  /** The alert's title: given, else the sender's display name (a user of the app), else its id. */
  async function titleOf(job: PushJobT): Promise<string | undefined> {
    if (job.title !== undefined) return job.title || undefined;
    if (!job.from) return undefined;
    try {
      const user = await accounts.getUser(job.appid, job.from);
      return user.name || job.from;
    } catch (err) {
      if (isAppError(err, 'USER_NOT_FOUND')) return job.from;
      throw err;
    }
  }

  /** A collapse id is at most 64 bytes. */
  const collapseIdOf = (job: PushJobT) => {
    const s = `${job.kind}.${job.id}`;
    return Buffer.byteLength(s) <= 64 ? s : hash('sha256', s, 'hex');
  };

  return {
    // ── settings (the app's backend or the admin) ──────────────────────────────
    /**
     * Stores the app's APNs settings. An omitted `key` or `host` keeps the stored one (a key
     * is needed the first time); `host` is the admin's to set: it decides where the worker
     * connects, so an app may not point it at anything.
     */
    async setApns(appid: string, body: ApnsSettingsBodyT, caller: { admin: boolean }): Promise<ApnsSettingsViewT> {
      await accounts.getApp(appid);
      if (body.host !== undefined && !caller.admin)
        throw new AppError('FORBIDDEN', 'host: only the admin may set it (it decides where the workers connect)');
      if (typeof body.host === 'string' && Number(body.host.split(':')[1] ?? 443) > 65535)
        throw new AppError('VALIDATION_FAILED', 'host: the port must be at most 65535');
      const current = await store.getApns(appid);
      let key: string;
      if (body.key !== undefined) {
        try {
          key = normaliseApnsKey(body.key);
        } catch (err) {
          throw new AppError('APNS_KEY_INVALID', `key: ${(err as Error).message}`);
        }
      } else if (current) {
        key = current.key;
      } else {
        throw new AppError('VALIDATION_FAILED', 'key: is required (the .p8 file) the first time');
      }
      const host = body.host === undefined ? (current?.host ?? null) : body.host;
      const stored = await store.setApns(appid, {
        keyId: body.keyId,
        teamId: body.teamId,
        bundleId: body.bundleId,
        key,
        environment: body.environment,
        host,
      });
      drop(appid);
      return view(stored);
    },
    async getApns(appid: string): Promise<ApnsSettingsViewT> {
      await accounts.getApp(appid);
      const s = await store.getApns(appid);
      if (!s) throw new AppError('APNS_NOT_CONFIGURED', `app ${appid} has no APNs settings: PUT /v1/apps/${appid}/push/apns`);
      return view(s);
    },
    async deleteApns(appid: string): Promise<{ removed: boolean }> {
      await accounts.getApp(appid);
      const removed = await store.deleteApns(appid);
      drop(appid);
      return { removed };
    },

    // ── enqueueing (api nodes, or wherever the message is sent) ────────────────
    /**
     * `message` found these recipients without a socket (or may have: pass knownOffline when
     * the caller counted the sockets already). Enqueues one push per recipient with a device id
     * and no socket, when the app has APNs settings. Never throws: the message itself is kept
     * for the next connect whatever happens here. Returns how many pushes were enqueued.
     */
    async toOffline(appid: string, uids: string[], message: PushMessageT, opts: { knownOffline?: boolean } = {}): Promise<number> {
      if (uids.length === 0) return 0;
      try {
        // Most apps have no APNs: one EXISTS, and nothing else, for them.
        if (!(await store.hasApns(appid))) return 0;
        const devices = await thirdParty.devicesOf(appid, uids);
        let targets = uids.filter((_, i) => devices[i]);
        if (targets.length && !opts.knownOffline) targets = await withoutSocket(appid, targets);
        const job = {
          ...message,
          body: clip(message.body, BODY_MAX),
          ...(message.title !== undefined ? { title: clip(message.title, TITLE_MAX) } : {}),
        };
        await Promise.all(
          targets.map((uid) =>
            queues.add(
              'push',
              'send',
              { appid, uid, ...job },
              {
                // One push per message and recipient: adding it again is a no-op while the job is kept.
                jobId: `apns|${appid}|${message.kind}|${message.id}|${uid}`,
                attempts: config.PUSH_ATTEMPTS,
                backoff: { type: 'exponential', delay: config.PUSH_BACKOFF_MS },
              },
            ),
          ),
        );
        return targets.length;
      } catch (err) {
        log.error({ err, appid, kind: message.kind, id: message.id }, 'could not enqueue pushes');
        return 0;
      }
    },

    // ── the push/send job (workers) ────────────────────────────────────────────
    /**
     * Sends one push. Resolves when done (sent, device cleared, nothing to do); throws an
     * AppError to fail: below 500 final (APNS_AUTH_FAILED, APNS_REJECTED), APNS_UNAVAILABLE
     * retried by BullMQ with backoff. `attempt`: attempts made before this one, and allowed.
     */
    async send(job: PushJobT, attempt: { made: number; max: number }): Promise<Record<string, unknown>> {
      const skip = (why: string) => {
        metrics.countPush('apns', 'skipped');
        return { skipped: why };
      };
      const settings = await store.getApns(job.appid);
      if (!settings) {
        drop(job.appid);
        return skip('no APNs settings');
      }
      const { deviceId } = await thirdParty.getDevice(job.appid, job.uid);
      if (!deviceId) return skip('no device id');
      const expiration = config.PUSH_EXPIRATION_SECONDS === 0 ? 0 : Math.floor(job.at / 1000) + config.PUSH_EXPIRATION_SECONDS;
      if (expiration > 0 && Date.now() / 1000 >= expiration) return skip('expired');

      const title = await titleOf(job);
      const payload = buildAlertPayload({
        ...(title ? { title: clip(title, TITLE_MAX) } : {}),
        body: job.body,
        sound: 'default',
        // Notifications of one conversation group together on the device.
        threadId: `${job.kind}.${job.from}`,
        custom: { type: job.kind, from: job.from, id: job.id },
      });
      const r = await providerFor(job.appid, settings).send({
        deviceToken: deviceId,
        payload,
        topic: settings.bundleId,
        expiration,
        collapseId: collapseIdOf(job),
      });
      const what = `APNs ${r.status ?? 'no answer'}${r.reason ? ` ${r.reason}` : ''}`;
      const ctx = { appid: job.appid, uid: job.uid, kind: job.kind, id: job.id, status: r.status, reason: r.reason };
      switch (r.outcome) {
        case 'sent':
          metrics.countPush('apns', 'sent');
          return { sent: true };
        case 'unregistered': {
          // Only that token goes: one stored since (a new updateDeviceid.do) stays.
          const cleared = await thirdParty.clearDeviceIf(job.appid, job.uid, deviceId);
          metrics.countPush('apns', 'unregistered');
          log.info({ ...ctx, cleared }, 'APNs says the device id is no longer valid: cleared');
          return { unregistered: true, cleared, reason: what };
        }
        case 'auth':
          log.error(
            { ...ctx, keyId: settings.keyId, teamId: settings.teamId },
            `${what}: APNs refused the provider token of this app — check its key id, team id and .p8 key (PUT /v1/apps/:appid/push/apns) and the server clock`,
          );
          // ExpiredProviderToken: the library signed a new token on that answer; the retry carries it.
          if (r.retryable) break;
          metrics.countPush('apns', 'failed');
          throw new AppError('APNS_AUTH_FAILED', `${what}: check the app's APNs key id, team id and key`);
        case 'rejected':
          log.warn(ctx, `${what}: APNs refused the notification`);
          metrics.countPush('apns', 'failed');
          throw new AppError('APNS_REJECTED', `${what}: refused`);
        case 'retry':
          break;
      }
      metrics.countPush('apns', attempt.made + 1 >= attempt.max ? 'failed' : 'retried');
      throw new AppError('APNS_UNAVAILABLE', `${what}: to be retried`);
    },

    /** Closes this process's APNs connections (worker shutdown). */
    async close(): Promise<void> {
      const all = [...providers.values()];
      providers.clear();
      await Promise.all(all.map((p) => p.provider.close().catch(() => undefined)));
    },
  };
}
