// Media: the vendor signatures the seed-002 clients ask for (COS, VOD, Cloud API), the
// VOD command proxy, and the live/recording callbacks that link a recording to a room.
//
// Vendor settings belong to the app (accounts `tencent`: secretId/secretKey, cosBucket/
// cosRegion, callbackKey) with deployment defaults from config. Pairs stay pairs: an app
// with its own secretId uses its own secretKey, never the default's.
//
// Recording ↔ room mapping (documented for client developers):
//   1. stream_id `<sdkAppId>_<roomnum>_<userid>_main` (TRTC's bypass stream id), else
//   2. `roomnum=<n>` (and optionally `sdkappid=<n>`) in stream_param, the query string the
//      pusher appended to its push URL; the app is then the one the callback URL names
//      (?appid=), else the one whose own callback key signed the event.
// Media knows nothing about courses: it stores the recording and calls the handlers
// registered with onRecording (the classroom module sets playback_idx_url and state 3).
import { hash, randomInt } from 'node:crypto';
import type { Core } from '../../infra/core.js';
import { createHook } from '../../infra/hooks.js';
import { AppError } from '../../infra/errors.js';
import { OutboundError, outboundRequest, type OutboundResponse } from '../../infra/outbound.js';
import { parse } from '../../infra/validation.js';
import { verifyCallbackSign } from '../../providers/tencent/callback.js';
import { cloudApiSign, type CloudApiParams } from '../../providers/tencent/cloudapi.js';
import { cosV4MultiSign, cosV4SingleSign, cosV5Authorization, splitBucket } from '../../providers/tencent/cos.js';
import { vodClientSign } from '../../providers/tencent/vod.js';
import type { AccountsService, AppRecord } from '../accounts/service.js';
import {
  CallbackEnvelope,
  RecordingEvent,
  type CallbackKindT,
  type CosSignInput,
  type CosSignViewT,
  type RecordingEventT,
  type RecordingJobT,
  type RecordingT,
  type VodClientSignInput,
  type VodProxyViewT,
  type VodRequestInput,
} from './schemas.js';
import { createMediaStore } from './store.js';

export type RecordingHandler = (appid: string, roomnum: number, recording: RecordingT) => Promise<void>;

/** Largest vendor answer the proxy relays. */
const MAX_PROXY_ANSWER_BYTES = 4 * 1024 * 1024;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The event id a recording is idempotent by: the vendor's file id is unique per file. */
export function recordingEventId(e: RecordingEventT): string {
  return `${e.event_type}:${e.file_id}`;
}
/** A BullMQ job id (no `:`) and store key part derived from the event id. */
export function eventHash(eventId: string): string {
  return hash('sha256', eventId, 'hex').slice(0, 32);
}

/** Reads app and room from a stream (see the mapping at the top of this file). */
export function parseStream(streamId: string, streamParam?: string): { sdkAppId?: number; roomnum?: number } {
  const m = /^(\d{1,10})_(\d{1,10})_(.+)_main$/.exec(streamId);
  if (m) return { sdkAppId: Number(m[1]), roomnum: Number(m[2]) };
  const q = new URLSearchParams((streamParam ?? '').replace(/^\?/, ''));
  const roomnum = q.get('roomnum');
  const sdkAppId = q.get('sdkappid') ?? q.get('sdkAppId');
  return {
    ...(roomnum && /^\d{1,10}$/.test(roomnum) && Number(roomnum) > 0 ? { roomnum: Number(roomnum) } : {}),
    ...(sdkAppId && /^\d{1,10}$/.test(sdkAppId) ? { sdkAppId: Number(sdkAppId) } : {}),
  };
}

export type MediaService = ReturnType<typeof createMediaService>;

export function createMediaService(core: Core, accounts: AccountsService) {
  const { config } = core;
  const store = createMediaStore(core.redis, core.keys);
  const recorded = createHook<Parameters<RecordingHandler>>();
  const allowedHosts = new Set(
    config.VOD_PROXY_ALLOWED_HOSTS.split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );

  function secretsOf(app: AppRecord): { secretId: string; secretKey: string } {
    const t = app.tencent;
    if (t?.secretId && t.secretKey) return { secretId: t.secretId, secretKey: t.secretKey };
    if (config.TENCENT_SECRET_ID && config.TENCENT_SECRET_KEY) return { secretId: config.TENCENT_SECRET_ID, secretKey: config.TENCENT_SECRET_KEY };
    throw new AppError(
      'VENDOR_NOT_CONFIGURED',
      `app ${app.appid} has no Tencent secretId/secretKey and no TENCENT_SECRET_ID/TENCENT_SECRET_KEY default is set`,
    );
  }

  function bucketOf(app: AppRecord): { bucket: string; region: string } | null {
    const t = app.tencent;
    if (t?.cosBucket) return { bucket: t.cosBucket, region: t.cosRegion ?? '' };
    if (config.COS_BUCKET) return { bucket: config.COS_BUCKET, region: config.COS_REGION ?? '' };
    return null;
  }

  function callbackKeyOf(app: AppRecord | null): string | null {
    return app?.tencent?.callbackKey ?? config.TENCENT_CALLBACK_KEY ?? null;
  }

  // get_sign and cmd_proxy both hand out the account's signing power: only for the
  // Tencent API hosts the deployment allows.
  function assertHost(host: string): void {
    if (!allowedHosts.has(host.toLowerCase())) {
      throw new AppError('VENDOR_HOST_NOT_ALLOWED', `host ${host} is not allowed (VOD_PROXY_ALLOWED_HOSTS: ${[...allowedHosts].join(', ')})`);
    }
  }

  /**
   * The app the callback's key belongs to: the one named, else the one its stream names,
   * else the app whose own callback key produced the sign (seed 002's callback URL names no
   * app and a pusher may put only `roomnum=` in stream_param). That last search tries each
   * app with Tencent settings: one md5 per app, so a deployment with thousands of them
   * should name the app in the callback URL (?appid=).
   */
  async function callbackApp(
    appid: string | undefined,
    body: Record<string, unknown> & { t: number | string; sign: string },
  ): Promise<AppRecord | null> {
    if (appid !== undefined) return accounts.getApp(appid);
    const streamId = typeof body.stream_id === 'string' ? body.stream_id : '';
    const { sdkAppId } = parseStream(streamId, typeof body.stream_param === 'string' ? body.stream_param : undefined);
    if (sdkAppId === undefined) {
      const signed = (await accounts.appsWithTencent()).filter(
        (a) => a.tencent?.callbackKey && verifyCallbackSign(a.tencent.callbackKey, body.t, body.sign, 0).ok,
      );
      return signed.length === 1 ? signed[0]! : null; // two apps sharing a key prove neither
    }
    try {
      return await accounts.getAppBySdkAppId(sdkAppId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'APP_NOT_FOUND') return null;
      throw err;
    }
  }

  async function resolveRecording(job: RecordingJobT): Promise<RecordingT> {
    const e = job.event;
    const where = `stream_id ${JSON.stringify(e.stream_id)}${e.stream_param ? ` stream_param ${JSON.stringify(e.stream_param)}` : ''}`;
    const { sdkAppId, roomnum } = parseStream(e.stream_id, e.stream_param);
    if (roomnum === undefined)
      throw new AppError('STREAM_NOT_LINKED', `no room in ${where}: expected <sdkAppId>_<roomnum>_<userid>_main or roomnum=<n> in stream_param`);
    let appid: string;
    if (sdkAppId !== undefined) appid = (await accounts.getAppBySdkAppId(sdkAppId)).appid;
    else if (job.verifiedApp) appid = job.verifiedApp;
    else throw new AppError('STREAM_NOT_LINKED', `no SdkAppID in ${where} and the callback was not addressed to an app`);
    if (job.verifiedApp && job.verifiedApp !== appid)
      throw new AppError('CROSS_TENANT', `callback verified for app ${job.verifiedApp} names a stream of app ${appid}`);

    const format = (e.file_format ?? /\.(\w+)(?:\?|$)/.exec(e.video_url)?.[1] ?? '').toLowerCase();
    const isIndex = format === 'hls' || format === 'm3u8' || /\.m3u8(\?|$)/i.test(e.video_url);
    return {
      eventId: job.eventId,
      kind: job.kind,
      appid,
      roomnum,
      streamId: e.stream_id,
      fileId: e.file_id,
      fileFormat: format,
      videoUrl: e.video_url,
      ...(isIndex ? { indexUrl: e.video_url } : {}),
      playbackUrl: e.video_url,
      ...(e.start_time !== undefined ? { startTime: e.start_time } : {}),
      ...(e.end_time !== undefined ? { endTime: e.end_time } : {}),
      ...(e.duration !== undefined ? { duration: e.duration } : {}),
      ...(e.file_size !== undefined ? { fileSize: e.file_size } : {}),
      receivedAt: job.receivedAt,
    };
  }

  return {
    /**
     * Seed `svc=cos&cmd=get_sign`: COS v4 signature, multi-effect (type 0) or
     * single-effect (type 1, needs filePath), for the requested or the app's bucket.
     * Returns sign, short bucket, region ('' when the request named the bucket, as the
     * seed says), previewTag, and — when filePath is given — a COS v5 authorization.
     */
    async cosSign(appid: string, input: CosSignInput): Promise<CosSignViewT> {
      const app = await accounts.getApp(appid);
      const single = input.single ?? false;
      if (single && !input.filePath) throw new AppError('VALIDATION_FAILED', 'file_path is required for a single-effect signature');
      const { secretId, secretKey } = secretsOf(app);
      const def = bucketOf(app);
      const requested = input.bucket;
      const full = requested ?? def?.bucket;
      if (!full) throw new AppError('VENDOR_NOT_CONFIGURED', `app ${appid} has no COS bucket and no COS_BUCKET default is set`);
      // A short bucket name borrows the APPID of the default bucket (one account per app).
      const defSplit = def ? splitBucket(def.bucket) : null;
      const split = splitBucket(full) ?? (defSplit ? { name: full, appId: defSplit.appId } : null);
      if (!split) throw new AppError('VENDOR_NOT_CONFIGURED', `bucket ${full} is not <name>-<APPID> and no default bucket gives the APPID`);
      const region = requested === undefined ? (def?.region ?? '') : '';

      const now = nowSeconds();
      const base = { appId: split.appId, bucket: split.name, secretId, secretKey, now, random: randomInt(0, 2 ** 32) };
      const expiresAt = single ? 0 : now + config.COS_SIGN_EXPIRE_SECONDS;
      const sign = single ? cosV4SingleSign({ ...base, path: input.filePath! }) : cosV4MultiSign({ ...base, expiresAt });

      let authorization: CosSignViewT['authorization'];
      if (input.filePath) {
        const method = input.method ?? 'PUT';
        const pathname = `/${input.filePath.replace(/^\/+/, '')}`;
        const bucketRegion = def?.region ?? '';
        const host = bucketRegion ? `${split.name}-${split.appId}.cos.${bucketRegion}.myqcloud.com` : undefined;
        const end = now + config.COS_SIGN_EXPIRE_SECONDS;
        authorization = {
          value: cosV5Authorization({ secretId, secretKey, method, pathname, ...(host ? { headers: { host } } : {}), start: now, end }),
          method,
          pathname,
          ...(host ? { host } : {}),
          expiresAt: end,
        };
      }
      return {
        sign,
        bucket: split.name,
        cosAppId: split.appId,
        region,
        previewTag: config.COS_PREVIEW_TAG,
        expiresAt,
        ...(authorization ? { authorization } : {}),
      };
    },

    /**
     * Seed `svc=vod&cmd=get_sign`: Cloud API v2 signature of method/host/path/params with
     * the app's SecretId filled in (HmacSHA256 when params.SignatureMethod says so).
     * Returns { sign (raw base64), secretId, signatureMethod }.
     */
    async vodSign(appid: string, input: VodRequestInput): Promise<{ sign: string; secretId: string; signatureMethod: 'HmacSHA1' | 'HmacSHA256' }> {
      assertHost(input.host);
      const { secretId, secretKey } = secretsOf(await accounts.getApp(appid));
      const r = cloudApiSign(secretKey, input.method, input.host, input.path, { ...input.params, SecretId: secretId });
      return { sign: r.signature, secretId, signatureMethod: r.signatureMethod };
    },

    /**
     * Seed `svc=vod&cmd=cmd_proxy`: fills SecretId (and Timestamp/Nonce when absent), signs,
     * sends to the allow-listed host (VOD_API_BASE_URL when set, else https://<host>) and
     * returns { status, data } with the vendor's JSON answer unchanged in `data`.
     */
    async vodProxy(appid: string, input: VodRequestInput): Promise<VodProxyViewT> {
      assertHost(input.host);
      const { secretId, secretKey } = secretsOf(await accounts.getApp(appid));
      const params: CloudApiParams = { ...input.params, SecretId: secretId };
      if (params.Timestamp === undefined || params.Timestamp === '') params.Timestamp = nowSeconds();
      if (params.Nonce === undefined || params.Nonce === '') params.Nonce = randomInt(1, 2 ** 31);
      const { signature } = cloudApiSign(secretKey, input.method, input.host, input.path, params);
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) if (k !== 'Signature') form.append(k, String(v));
      form.append('Signature', signature);

      const url = `${config.VOD_API_BASE_URL ?? `https://${input.host}`}${input.path}`;
      let res: OutboundResponse;
      try {
        res = await outboundRequest(input.method === 'GET' ? `${url}?${form}` : url, {
          method: input.method,
          ...(input.method === 'POST' ? { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
          timeoutMs: config.VOD_PROXY_TIMEOUT_MS,
          // The host is on VOD_PROXY_ALLOWED_HOSTS (or VOD_API_BASE_URL, the operator's): private addresses allowed.
          allowPrivate: true,
          maxResponseBytes: MAX_PROXY_ANSWER_BYTES,
        });
      } catch (err) {
        if (!(err instanceof OutboundError)) throw err;
        if (err.kind === 'too-large') throw new AppError('VENDOR_FAILED', `${input.host} answered more than ${MAX_PROXY_ANSWER_BYTES} bytes`);
        core.log.warn({ err, host: input.host }, 'vod proxy: vendor unreachable');
        throw new AppError('VENDOR_FAILED', `${input.host} did not answer: ${err.kind === 'timeout' ? 'timeout' : 'unreachable'}`);
      }
      const text = res.body.toString('utf8');
      try {
        return { status: res.status, data: JSON.parse(text) as unknown };
      } catch {
        throw new AppError('VENDOR_FAILED', `${input.host} answered HTTP ${res.status} without JSON`);
      }
    },

    /**
     * Seed `svc=vod&cmd=get_client_sign`: VOD client upload signature.
     * Returns { sign (raw base64), secretId, expiresAt }.
     */
    async vodClientSign(appid: string, input: VodClientSignInput = {}): Promise<{ sign: string; secretId: string; expiresAt: number }> {
      const { secretId, secretKey } = secretsOf(await accounts.getApp(appid));
      const { expire, ...extra } = input;
      const now = nowSeconds();
      const lifetime = expire ?? config.VOD_CLIENT_SIGN_EXPIRE_SECONDS;
      const sign = vodClientSign({ secretId, secretKey, now, lifetime, random: randomInt(0, 2 ** 32), extra });
      return { sign, secretId, expiresAt: now + lifetime };
    },

    /**
     * Seed `svc=live&cmd=recendcall` (kind 'recording') and `svc=live&cmd=idxfileendcall`
     * (kind 'index'): verifies sign and expiry with the callback key of `appid` (when the
     * callback URL names the app), else of the app the stream names, else
     * TENCENT_CALLBACK_KEY — before reading anything else. A recording event (type 100)
     * is enqueued on media/recording with a job id derived from its event id (duplicates
     * collapse); other event types are acknowledged and ignored. Answer `{code:0}` on
     * return; throws CALLBACK_SIGN_INVALID / CALLBACK_EXPIRED / VALIDATION_FAILED.
     */
    async recordingCallback(
      body: unknown,
      opts: { kind: CallbackKindT; appid?: string },
    ): Promise<{ queued: boolean; eventId?: string; jobId?: string; ignored?: string }> {
      const env = parse(CallbackEnvelope, body, 'callback');
      const app = await callbackApp(opts.appid, env as typeof env & Record<string, unknown>);
      const key = callbackKeyOf(app);
      if (!key) throw new AppError('VENDOR_NOT_CONFIGURED', "no callback key: set the app's tencent.callbackKey or TENCENT_CALLBACK_KEY");
      const check = verifyCallbackSign(key, env.t, env.sign, nowSeconds());
      if (!check.ok)
        throw check.reason === 'expired'
          ? new AppError('CALLBACK_EXPIRED', 'the callback t is in the past')
          : new AppError('CALLBACK_SIGN_INVALID', `callback refused: ${check.reason}`);

      if (env.event_type !== 100) return { queued: false, ignored: `event_type ${env.event_type ?? 'missing'}` };
      const event = parse(RecordingEvent, body, 'recording event');
      const eventId = recordingEventId(event);
      // Only an app-specific key proves the app; the deployment key vouches for any app.
      const verifiedApp = app && app.tencent?.callbackKey ? app.appid : (opts.appid ?? null);
      const jobId = `rec-${eventHash(eventId)}`;
      await core.queues.add('media', 'recording', { kind: opts.kind, verifiedApp, eventId, receivedAt: Date.now(), event }, { jobId });
      return { queued: true, eventId, jobId };
    },

    /**
     * Worker side of media/recording: resolves app and room from the stream, stores the
     * recording once (by event id) and calls every onRecording handler; marks it linked
     * when all succeeded, so a retry calls them again but a replay after success does not.
     */
    async linkRecording(job: RecordingJobT): Promise<{ appid: string; roomnum: number; duplicate: boolean }> {
      const rec = await resolveRecording(job);
      if (recorded.size === 0)
        throw new AppError(
          'NO_RECORDING_HANDLER',
          `recording ${job.eventId} for room ${rec.roomnum} of app ${rec.appid}: no onRecording handler is registered on this worker`,
        );
      const hash = eventHash(job.eventId);
      const put = await store.putRecording(hash, rec);
      if (put.state === 'linked') return { appid: rec.appid, roomnum: rec.roomnum, duplicate: true };
      await recorded.run(put.recording.appid, put.recording.roomnum, put.recording);
      // Before markLinked, with an id derived from the vendor event: a job retried after a
      // failed markLinked publishes the same event again, which receivers drop by its id.
      const r = put.recording;
      await core.events.publish(
        r.appid,
        'recording.ready',
        {
          roomId: String(r.roomnum),
          roomnum: r.roomnum,
          kind: r.kind,
          streamId: r.streamId,
          fileId: r.fileId,
          fileFormat: r.fileFormat,
          playbackUrl: r.playbackUrl,
          videoUrl: r.videoUrl,
          ...(r.indexUrl !== undefined ? { indexUrl: r.indexUrl } : {}),
          ...(r.startTime !== undefined ? { startTime: r.startTime } : {}),
          ...(r.endTime !== undefined ? { endTime: r.endTime } : {}),
          ...(r.duration !== undefined ? { duration: r.duration } : {}),
          ...(r.fileSize !== undefined ? { fileSize: r.fileSize } : {}),
        },
        { orderKey: `room:${r.roomnum}`, id: `recording-${hash}` },
      );
      await store.markLinked(rec.appid, hash);
      return { appid: rec.appid, roomnum: rec.roomnum, duplicate: false };
    },

    /**
     * Registers what happens when a recording arrives for a room (classroom: set
     * playback_idx_url, state 3, emit room.state). Handlers must be idempotent (a failed
     * job is retried) and throw AppError 4xx for a room they do not know. Returns an
     * unregister function.
     */
    onRecording: (handler: RecordingHandler): (() => void) => recorded.on(handler),

    /**
     * Replaces every registered handler, returning the previous list. For tests (which link
     * recordings to rooms of their own making, whatever modules registered) and for nodes
     * that must not link.
     */
    setRecordingHandlers: (list: RecordingHandler[]): RecordingHandler[] => recorded.replace(list) as RecordingHandler[],

    /** Recordings stored for a room, oldest first. */
    listRecordings(appid: string, roomnum: number): Promise<RecordingT[]> {
      return store.listRoom(appid, roomnum);
    },
  };
}
