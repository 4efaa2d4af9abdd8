import { Type, type Static } from 'typebox';
import { AppIdSchema } from '../accounts/schemas.js';

// ── COS ───────────────────────────────────────────────────────────────────────

export const CosSignBody = Type.Object(
  {
    single: Type.Optional(Type.Boolean({ default: false, description: 'single-effect (单次, seed type 1) instead of multi-effect (多次, type 0)' })),
    bucket: Type.Optional(
      Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: "bucket, short name or <name>-<APPID>; default: the app's (or COS_BUCKET)" }),
    ),
    filePath: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1024, description: 'full path of the file in the bucket, leading /; required for single-effect' }),
    ),
    method: Type.Optional(
      Type.Enum(['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], {
        description: 'HTTP method the COS v5 authorization is for (default PUT); only with filePath',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CosSignInput = Static<typeof CosSignBody>;

export const CosSignView = Type.Object({
  sign: Type.String({ description: 'COS v4 signature (seed `sign`), not URL-encoded' }),
  bucket: Type.String({ description: 'short bucket name' }),
  cosAppId: Type.String({ description: 'Tencent Cloud APPID owning the bucket' }),
  region: Type.String({ description: 'bucket region; empty when the request named the bucket (as the seed says)' }),
  previewTag: Type.String({ description: 'document preview domain: <bucket>-<appid>.<previewTag>.myqcloud.com' }),
  expiresAt: Type.Integer({ description: 'unix seconds; 0 for a single-effect signature' }),
  authorization: Type.Optional(
    Type.Object(
      {
        value: Type.String({ description: 'COS v5 Authorization header (q-sign-algorithm=sha1&…)' }),
        method: Type.String(),
        pathname: Type.String(),
        host: Type.Optional(Type.String({ description: 'signed Host header (when the region is known)' })),
        expiresAt: Type.Integer(),
      },
      { description: 'COS v5 authorization for current clients, when filePath is given' },
    ),
  ),
});
export type CosSignViewT = Static<typeof CosSignView>;

// ── VOD / Cloud API v2 ───────────────────────────────────────────────────────

export const VodRequestBody = Type.Object(
  {
    method: Type.Enum(['GET', 'POST'], { description: 'upper case, as the seed says' }),
    host: Type.String({
      pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$',
      maxLength: 253,
      description: 'Tencent API host, e.g. vod.api.qcloud.com (must be allow-listed)',
    }),
    path: Type.String({ pattern: '^/[A-Za-z0-9._~/-]*$', maxLength: 256, description: 'request path, today always /v2/index.php' }),
    params: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), Type.Union([Type.String({ maxLength: 4096 }), Type.Number()]), {
      maxProperties: 200,
      description: 'the API parameters; SecretId is filled in by the server',
    }),
  },
  { additionalProperties: false },
);
export type VodRequestInput = Static<typeof VodRequestBody>;

export const VodSignView = Type.Object({
  sign: Type.String({ description: 'base64 signature, not URL-encoded' }),
  secretId: Type.String({ description: 'put this in the request as SecretId' }),
  signatureMethod: Type.Enum(['HmacSHA1', 'HmacSHA256']),
});

export const VodProxyView = Type.Object({
  status: Type.Integer({ description: "the vendor's HTTP status" }),
  data: Type.Unknown({ description: "the vendor's JSON answer, unchanged" }),
});
export type VodProxyViewT = Static<typeof VodProxyView>;

export const VodClientSignBody = Type.Object(
  {
    expire: Type.Optional(
      Type.Integer({ minimum: 60, maximum: 7776000, description: 'lifetime in seconds (default VOD_CLIENT_SIGN_EXPIRE_SECONDS)' }),
    ),
    classId: Type.Optional(Type.Integer({ minimum: 0 })),
    procedure: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    taskPriority: Type.Optional(Type.Integer({ minimum: -10, maximum: 10 })),
    taskNotifyMode: Type.Optional(Type.Enum(['Finish', 'Change', 'None'])),
    sourceContext: Type.Optional(Type.String({ maxLength: 250 })),
    oneTimeValid: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1)])),
    vodSubAppId: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type VodClientSignInput = Static<typeof VodClientSignBody>;

export const VodClientSignView = Type.Object({
  sign: Type.String({ description: 'upload signature, not URL-encoded' }),
  secretId: Type.String(),
  expiresAt: Type.Integer({ description: 'unix seconds' }),
});

// ── recording callbacks ──────────────────────────────────────────────────────

/** What is read before the sign is verified: only t and sign (and event_type to route it). */
export const CallbackEnvelope = Type.Object(
  {
    t: Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]{1,12}$' })], { description: 'expiry, unix seconds' }),
    sign: Type.String({ maxLength: 64, description: 'md5hex(callbackKey + t)' }),
    event_type: Type.Optional(Type.Integer({ description: '1 stream begin, 0 stream end, 100 recording file, 200 screenshot' })),
  },
  { additionalProperties: true },
);

/** A recording-file event (event_type 100); the vendor's other fields are kept but not needed. */
export const RecordingEvent = Type.Object(
  {
    event_type: Type.Literal(100),
    stream_id: Type.String({ minLength: 1, maxLength: 256 }),
    stream_param: Type.Optional(Type.String({ maxLength: 2048 })),
    channel_id: Type.Optional(Type.String({ maxLength: 256 })),
    file_id: Type.String({ minLength: 1, maxLength: 128 }),
    file_format: Type.Optional(Type.String({ maxLength: 16 })),
    video_url: Type.String({ pattern: '^https?://', maxLength: 2048 }),
    start_time: Type.Optional(Type.Integer({ minimum: 0 })),
    end_time: Type.Optional(Type.Integer({ minimum: 0 })),
    duration: Type.Optional(Type.Integer({ minimum: 0 })),
    file_size: Type.Optional(Type.Integer({ minimum: 0 })),
    appid: Type.Optional(Type.Integer({ description: "the vendor account's APPID (not the SdkAppID)" })),
  },
  { additionalProperties: true },
);
export type RecordingEventT = Static<typeof RecordingEvent>;

export const CallbackKind = Type.Enum(['recording', 'index'], { description: 'recendcall (recording) or idxfileendcall (index file)' });
export type CallbackKindT = Static<typeof CallbackKind>;

/** Payload of the `media` queue's `recording` job (external services may enqueue it too). */
export const RecordingJob = Type.Object(
  {
    kind: CallbackKind,
    /** The app whose callback key verified the event; null = the deployment key (TENCENT_CALLBACK_KEY). */
    verifiedApp: Type.Union([AppIdSchema, Type.Null()]),
    eventId: Type.String({ minLength: 1, maxLength: 200 }),
    receivedAt: Type.Integer({ description: 'unix ms' }),
    event: RecordingEvent,
  },
  { additionalProperties: false },
);
export type RecordingJobT = Static<typeof RecordingJob>;

export const CallbackAnswer = Type.Object({ code: Type.Literal(0) });

/** A recording linked to a room, as stored and as given to onRecording handlers. */
export const RecordingView = Type.Object({
  eventId: Type.String(),
  kind: CallbackKind,
  appid: AppIdSchema,
  roomnum: Type.Integer(),
  streamId: Type.String(),
  fileId: Type.String(),
  fileFormat: Type.String({ description: 'hls, mp4, flv … (from the vendor, or guessed from the URL)' }),
  videoUrl: Type.String(),
  /** The .m3u8 index of an HLS recording (VENDORS.md: video_url is the index for HLS). */
  indexUrl: Type.Optional(Type.String()),
  /** What a player opens: the index for HLS, else the file. */
  playbackUrl: Type.String(),
  startTime: Type.Optional(Type.Integer()),
  endTime: Type.Optional(Type.Integer()),
  duration: Type.Optional(Type.Integer()),
  fileSize: Type.Optional(Type.Integer()),
  receivedAt: Type.Integer({ description: 'unix ms' }),
});
export type RecordingT = Static<typeof RecordingView>;

export const RecordingList = Type.Object({ recordings: Type.Array(RecordingView) });
