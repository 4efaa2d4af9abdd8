import { createHmac } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/infra/errors.js';
import { eventHash, type RecordingHandler } from '../../src/modules/media/service.js';
import type { RecordingT } from '../../src/modules/media/schemas.js';
import { callbackSign } from '../../src/providers/tencent/callback.js';
import { cloudApiSource } from '../../src/providers/tencent/cloudapi.js';
import { decodeCosV4Sign } from '../../src/providers/tencent/cos.js';
import { ADMIN_TOKEN, call, createApp, fakeHttp, loginUser, type Fake, type FakeRequest, useStack } from '../helpers.js';

const SDKAPPID = 1400123456;
const OTHER_SDKAPPID = 1400654321;
const SECRET_ID = 'AKIDtestsecretid000000000000000000';
const SECRET_KEY = 'testsecretkey0000000000000000000';
const CALLBACK_KEY = 'app_callback_key';
const DEPLOY_KEY = 'deployment_callback_key';

let fake: Fake;
let seen: FakeRequest[];
let other: { appid: string; secret: string };
let token: string;
let conn: Redis;
let queue: Queue;
let events: QueueEvents;

// The fake starts before the stack and stops after it (hooks written before useStack).
beforeAll(async () => {
  // The fake Tencent API: 127.0.0.1 only.
  fake = await fakeHttp(() => ({ json: { code: 0, message: '', totalCount: 0, fileSet: [] } }));
  seen = fake.requests;
});
afterAll(async () => {
  await fake?.close();
});

const stack = useStack(() => ({ VOD_API_BASE_URL: fake.url, TENCENT_CALLBACK_KEY: DEPLOY_KEY, COS_REGION: 'ap-guangzhou' }), {
  app: {
    tencent: {
      sdkAppId: SDKAPPID,
      key: 'usersig-key',
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      cosBucket: 'docs-1250000000',
      cosRegion: 'ap-shanghai',
      callbackKey: CALLBACK_KEY,
    },
  },
});
beforeAll(async () => {
  const { srv, app } = stack;
  other = await createApp(srv.url, { tencent: { sdkAppId: OTHER_SDKAPPID, key: 'k2' } });
  token = await loginUser(srv.url, app.appid, 'teacher1');
  conn = new Redis(srv.config.REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue('media', { connection: conn, prefix: srv.config.QUEUE_PREFIX });
  events = new QueueEvents('media', { connection: { url: srv.config.REDIS_URL } as never, prefix: srv.config.QUEUE_PREFIX });
  await events.waitUntilReady();
});
afterAll(async () => {
  await events?.close();
  await queue?.close();
  conn?.disconnect();
});

const now = () => Math.floor(Date.now() / 1000);

function recordingBody(fileId: string, streamId: string, extra: Record<string, unknown> = {}, key = CALLBACK_KEY) {
  const t = now() + 600;
  return {
    t,
    sign: callbackSign(key, t),
    event_type: 100,
    appid: 1250000000,
    stream_id: streamId,
    channel_id: streamId,
    file_id: fileId,
    file_format: 'hls',
    video_url: `http://1250000000.vod2.myqcloud.com/${fileId}/playlist.m3u8`,
    start_time: 1546935306,
    end_time: 1546936306,
    duration: 1000,
    file_size: 1123,
    ...extra,
  };
}

/** Resolves with 'completed' + return value, or 'failed' + reason. */
async function outcome(fileId: string): Promise<{ state: string; value?: unknown; reason?: string; attempts?: number }> {
  const jobId = `rec-${eventHash(`100:${fileId}`)}`;
  const job = await queue.getJob(jobId);
  if (!job) throw new Error(`no job ${jobId}`);
  try {
    const value = await job.waitUntilFinished(events, 8000);
    return { state: 'completed', value };
  } catch (err) {
    const again = await queue.getJob(jobId);
    return { state: await again!.getState(), reason: (err as Error).message, attempts: again!.attemptsMade };
  }
}

describe('COS signatures', () => {
  it('multi-effect: v4 sign with the app bucket, region and preview tag', async () => {
    const r = await call(stack.url, 'POST', '/v1/media/cos/sign', { token, body: {} });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ bucket: 'docs', cosAppId: '1250000000', region: 'ap-shanghai', previewTag: 'preview' });
    const d = decodeCosV4Sign(r.body.sign);
    expect(d.fields).toMatchObject({ a: '1250000000', b: 'docs', k: SECRET_ID, f: '' });
    expect(Number(d.fields.e)).toBe(r.body.expiresAt);
    expect(Number(d.fields.e)).toBeGreaterThan(Number(d.fields.t));
    expect(d.mac.equals(createHmac('sha1', SECRET_KEY).update(d.original).digest())).toBe(true);
    expect(r.body.authorization).toBeUndefined();
  });

  it('single-effect needs file_path, binds the file, and comes with a v5 authorization', async () => {
    const missing = await call(stack.url, 'POST', '/v1/media/cos/sign', { token, body: { single: true } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');

    const r = await call(stack.url, 'POST', '/v1/media/cos/sign', { token, body: { single: true, bucket: 'slides', filePath: '/course 1/a.ppt' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ bucket: 'slides', cosAppId: '1250000000', region: '', expiresAt: 0 });
    expect(decodeCosV4Sign(r.body.sign).fields).toMatchObject({ e: '0', f: '/1250000000/slides/course%201/a.ppt' });
    expect(r.body.authorization).toMatchObject({
      method: 'PUT',
      pathname: '/course 1/a.ppt',
      host: 'slides-1250000000.cos.ap-shanghai.myqcloud.com',
    });
    expect(r.body.authorization.value).toMatch(
      /^q-sign-algorithm=sha1&q-ak=AKID\w+&q-sign-time=\d+;\d+&q-key-time=\d+;\d+&q-header-list=host&q-url-param-list=&q-signature=[0-9a-f]{40}$/,
    );
  });

  it('needs a user token', async () => {
    expect((await call(stack.url, 'POST', '/v1/media/cos/sign', { body: {} })).status).toBe(401);
  });
});

describe('VOD signatures and proxy', () => {
  const request = (host: string) => ({
    method: 'GET',
    host,
    path: '/v2/index.php',
    params: {
      Action: 'DescribeVodInfo',
      Nonce: 11886,
      Region: 'gz',
      SecretId: '',
      SignatureMethod: 'HmacSHA256',
      Timestamp: 1465185768,
      'instanceIds.0': 'ins-09dx96dg',
      pageNo: 0,
      pageSize: 20,
    },
  });

  it('get_sign: signs with the app SecretId filled in', async () => {
    const body = request('vod.api.qcloud.com');
    const r = await call(stack.url, 'POST', '/v1/media/vod/sign', { token, body });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ secretId: SECRET_ID, signatureMethod: 'HmacSHA256' });
    const source = cloudApiSource('GET', body.host, body.path, { ...body.params, SecretId: SECRET_ID });
    expect(r.body.sign).toBe(createHmac('sha256', SECRET_KEY).update(source).digest('base64'));
  });

  it('cmd_proxy: signs, forwards to the (fake) vendor and relays its answer', async () => {
    seen.length = 0;
    const body = request('vod.api.qcloud.com');
    const r = await call(stack.url, 'POST', '/v1/media/vod/proxy', { token, body });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 200, data: { code: 0, message: '', totalCount: 0, fileSet: [] } });
    expect(seen).toHaveLength(1);
    const u = new URL(seen[0]!.url, 'http://x');
    expect(u.pathname).toBe('/v2/index.php');
    const q = Object.fromEntries(u.searchParams);
    expect(q.SecretId).toBe(SECRET_ID);
    const { Signature, ...params } = q;
    // The signature is over the vendor host, not the fake's address.
    expect(Signature).toBe(
      createHmac('sha256', SECRET_KEY)
        .update(cloudApiSource('GET', 'vod.api.qcloud.com', '/v2/index.php', params))
        .digest('base64'),
    );
  });

  it('cmd_proxy by POST sends a form body; fills Timestamp and Nonce when absent', async () => {
    seen.length = 0;
    const r = await call(stack.url, 'POST', '/v1/media/vod/proxy', {
      token,
      body: { method: 'POST', host: 'vod.api.qcloud.com', path: '/v2/index.php', params: { Action: 'DescribeVodInfo', Region: 'gz' } },
    });
    expect(r.status).toBe(200);
    expect(seen[0]!.method).toBe('POST');
    const form = Object.fromEntries(new URLSearchParams(seen[0]!.body));
    expect(Number(form.Timestamp)).toBeGreaterThan(now() - 10);
    expect(form.Nonce).toMatch(/^\d+$/);
    const { Signature, ...params } = form;
    expect(Signature).toBe(
      createHmac('sha1', SECRET_KEY)
        .update(cloudApiSource('POST', 'vod.api.qcloud.com', '/v2/index.php', params))
        .digest('base64'),
    );
  });

  it('refuses hosts outside the allow-list, for the proxy and for signatures', async () => {
    seen.length = 0;
    for (const path of ['/v1/media/vod/proxy', '/v1/media/vod/sign']) {
      const r = await call(stack.url, 'POST', path, { token, body: request('evil.example.com') });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('VENDOR_HOST_NOT_ALLOWED');
    }
    const bad = await call(stack.url, 'POST', '/v1/media/vod/proxy', { token, body: { ...request('vod.api.qcloud.com'), host: '127.0.0.1:6379/x' } });
    expect(bad.status).toBe(400);
    expect(seen).toHaveLength(0);
  });

  it('get_client_sign: VOD upload signature with the app SecretId', async () => {
    const r = await call(stack.url, 'POST', '/v1/media/vod/client-sign', { token, body: { procedure: 'QCVB_SimpleProcessFile(1,1)' } });
    expect(r.status).toBe(200);
    expect(r.body.secretId).toBe(SECRET_ID);
    const raw = Buffer.from(r.body.sign, 'base64');
    const original = raw.subarray(20).toString();
    expect(original).toMatch(new RegExp(`^secretId=${SECRET_ID}&currentTimeStamp=\\d+&expireTime=${r.body.expiresAt}&random=\\d+&procedure=`));
    expect(raw.subarray(0, 20).equals(createHmac('sha1', SECRET_KEY).update(original).digest())).toBe(true);
  });

  it('an app without secrets and no default is told so', async () => {
    const t = await loginUser(stack.url, other.appid, 'u-other');
    const r = await call(stack.url, 'POST', '/v1/media/vod/client-sign', { token: t, body: {} });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('VENDOR_NOT_CONFIGURED');
  });
});

describe('recording callbacks', () => {
  const calls: Array<[string, number, RecordingT]> = [];
  let unregister: () => void;
  let saved: RecordingHandler[] = [];
  // Only this file's handler: the classroom's (registered in createServices) knows no room here.
  afterAll(() => stack.workers?.services.media.setRecordingHandlers(saved));
  beforeAll(() => {
    saved = stack.workers.services.media.setRecordingHandlers([]);
    const handler: RecordingHandler = async (appid, roomnum, rec) => {
      if (roomnum === 404) throw new AppError('NOT_FOUND', `no course ${roomnum}`);
      calls.push([appid, roomnum, rec]);
    };
    unregister = stack.workers.services.media.onRecording(handler);
  });

  it('refuses a bad sign and an expired t, and enqueues nothing', async () => {
    const before = await queue.getJobCounts();
    const bad = await call(stack.url, 'POST', '/v1/media/callbacks/recording', {
      body: { ...recordingBody('f-bad', `${SDKAPPID}_1001_t1_main`), sign: 'deadbeef'.repeat(4) },
    });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('CALLBACK_SIGN_INVALID');
    const wrongKey = await call(stack.url, 'POST', '/v1/media/callbacks/recording', {
      body: recordingBody('f-bad', `${SDKAPPID}_1001_t1_main`, {}, DEPLOY_KEY),
    });
    expect(wrongKey.status).toBe(401); // the app has its own key: the deployment key is not enough
    const t = now() - 5;
    const expired = await call(stack.url, 'POST', '/v1/media/callbacks/recording', {
      body: { ...recordingBody('f-old', `${SDKAPPID}_1001_t1_main`), t, sign: callbackSign(CALLBACK_KEY, t) },
    });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('CALLBACK_EXPIRED');
    expect(await queue.getJobCounts()).toEqual(before);
  });

  it('answers {code:0}, links the recording once; a duplicate changes nothing', async () => {
    const body = recordingBody('f-1', `${SDKAPPID}_1001_teacher1_main`);
    const r = await call(stack.url, 'POST', '/v1/media/callbacks/recording', { body });
    expect(r).toMatchObject({ status: 200, body: { code: 0 } });
    expect((await outcome('f-1')).state).toBe('completed');
    expect(calls).toHaveLength(1);
    const [appid, roomnum, rec] = calls[0]!;
    expect([appid, roomnum]).toEqual([stack.app.appid, 1001]);
    expect(rec).toMatchObject({
      eventId: '100:f-1',
      kind: 'recording',
      fileFormat: 'hls',
      indexUrl: body.video_url,
      playbackUrl: body.video_url,
      duration: 1000,
    });

    // The vendor retries with the same event (the idxfileendcall path too): accepted, nothing changes.
    const again = await call(stack.url, 'POST', '/v1/media/callbacks/index', { body: { ...body, video_url: 'http://elsewhere/x.m3u8' } });
    expect(again).toMatchObject({ status: 200, body: { code: 0 } });
    // Even a copy enqueued under another job id finds the recording linked.
    const copy = await queue.add('recording', {
      kind: 'recording',
      verifiedApp: stack.app.appid,
      eventId: '100:f-1',
      receivedAt: Date.now(),
      event: { ...body, video_url: 'http://elsewhere/y.mp4' },
    });
    expect(await copy.waitUntilFinished(events, 8000)).toMatchObject({ duplicate: true });
    expect(calls).toHaveLength(1);
    const stored = await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/recordings?roomnum=1001`, { token: ADMIN_TOKEN });
    expect(stored.body.recordings).toHaveLength(1);
    expect(stored.body.recordings[0].videoUrl).toBe(body.video_url);
  });

  it('links by roomnum in stream_param when the callback URL names the app', async () => {
    calls.length = 0;
    const body = recordingBody('f-2', 'live_abc', {
      stream_param: 'txSecret=x&txTime=5C2A&roomnum=2002',
      file_format: 'mp4',
      video_url: 'http://vod/f-2.mp4',
    });
    const r = await call(stack.url, 'POST', `/v1/media/callbacks/recording?appid=${stack.app.appid}`, { body });
    expect(r.status).toBe(200);
    expect((await outcome('f-2')).state).toBe('completed');
    expect(calls.map(([a, n, rec]) => [a, n, rec.indexUrl, rec.playbackUrl])).toEqual([[stack.app.appid, 2002, undefined, 'http://vod/f-2.mp4']]);
  });

  it("links by roomnum alone when the app's own callback key signed it (seed 002's callback URL names no app)", async () => {
    calls.length = 0;
    const body = recordingBody('f-2b', 'live_def', { stream_param: 'roomnum=2003', file_format: 'mp4', video_url: 'http://vod/f-2b.mp4' });
    expect((await call(stack.url, 'POST', '/v1/media/callbacks/recording', { body })).status).toBe(200);
    expect((await outcome('f-2b')).state).toBe('completed');
    expect(calls.map(([a, n]) => [a, n])).toEqual([[stack.app.appid, 2003]]);
    // Signed with the deployment key, which vouches for every app: roomnum alone names no app.
    await call(stack.url, 'POST', '/v1/media/callbacks/recording', {
      body: recordingBody('f-2c', 'live_ghi', { stream_param: 'roomnum=2003' }, DEPLOY_KEY),
    });
    expect((await outcome('f-2c')).reason).toMatch(/^STREAM_NOT_LINKED: no SdkAppID in stream_id "live_ghi" stream_param "roomnum=2003"/);
    expect(calls).toHaveLength(1);
  });

  it('acknowledges other event types without queueing them', async () => {
    const before = await queue.getJobCounts();
    const t = now() + 60;
    const r = await call(stack.url, 'POST', '/v1/media/callbacks/recording', {
      body: { t, sign: callbackSign(DEPLOY_KEY, t), event_type: 1, stream_id: 'x' },
    });
    expect(r).toMatchObject({ status: 200, body: { code: 0 } });
    expect(await queue.getJobCounts()).toEqual(before);
  });

  it('an unknown stream, an unknown app, a foreign stream and an unknown room land in the failed set with their reason', async () => {
    calls.length = 0;
    await call(stack.url, 'POST', '/v1/media/callbacks/recording', { body: recordingBody('f-3', 'random-stream', {}, DEPLOY_KEY) });
    const unknown = await outcome('f-3');
    expect(unknown).toMatchObject({ state: 'failed', attempts: 1 });
    expect(unknown.reason).toMatch(/^STREAM_NOT_LINKED: no room in stream_id "random-stream"/);

    await call(stack.url, 'POST', '/v1/media/callbacks/recording', { body: recordingBody('f-4', '1499999999_7_u_main', {}, DEPLOY_KEY) });
    expect((await outcome('f-4')).reason).toBe('APP_NOT_FOUND: no app has SdkAppID 1499999999');

    // Verified with this app's key (URL) but naming another app's stream.
    await call(stack.url, 'POST', `/v1/media/callbacks/recording?appid=${stack.app.appid}`, {
      body: recordingBody('f-5', `${OTHER_SDKAPPID}_7_u_main`),
    });
    expect((await outcome('f-5')).reason).toMatch(/^CROSS_TENANT: /);

    await call(stack.url, 'POST', '/v1/media/callbacks/recording', { body: recordingBody('f-6', `${SDKAPPID}_404_u_main`) });
    expect(await outcome('f-6')).toMatchObject({ state: 'failed', attempts: 1, reason: 'NOT_FOUND: no course 404' });
    expect(calls).toHaveLength(0);
  });

  it('fails clearly when no handler is registered', async () => {
    unregister();
    await call(stack.url, 'POST', '/v1/media/callbacks/recording', { body: recordingBody('f-7', `${SDKAPPID}_3003_u_main`) });
    const r = await outcome('f-7');
    expect(r.state).toBe('failed');
    expect(r.reason).toMatch(/^NO_RECORDING_HANDLER: recording 100:f-7 for room 3003 of app \w+: no onRecording handler/);
  });

  it('the job payload is validated (external producers)', async () => {
    const job = await queue.add('recording', { kind: 'recording', verifiedApp: null, eventId: 'x', receivedAt: 1, event: { event_type: 100 } });
    await expect(job.waitUntilFinished(events, 8000)).rejects.toThrow(
      /^invalid media\/recording payload: event\.stream_id,file_id,video_url: is required/,
    );
  });
});
