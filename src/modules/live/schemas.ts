import { Type, type Static } from 'typebox';
import { UserIdSchema } from '../accounts/schemas.js';
import { RoomIdSchema } from '../rooms/schemas.js';

export const DEFAULT_TITLE = '无标题';
export const DEFAULT_DESCRIPTION = '作者有点懒,没有提供该视频的描述信息';

/** 1 public, 2 private, 3 circle (members of the video's live group), 4 password. */
export const ShareModelSchema = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4)], {
  description: '1 public, 2 private, 3 circle (its live group), 4 password',
});
export const VideoIdSchema = RoomIdSchema; // a live video is a room of kind `live`: the same id
export const LiveGroupIdSchema = Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'live group id' });

export const StartBody = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 200, description: `default "${DEFAULT_TITLE}"` })),
    description: Type.Optional(Type.String({ maxLength: 2000, description: `default "${DEFAULT_DESCRIPTION}"` })),
    save: Type.Optional(Type.Integer({ description: '1: record to a file (kept as history after stop); anything else: not (default)' })),
    calltype: Type.Optional(Type.String({ maxLength: 32, description: 'live type, e.g. DT (定向直播)' })),
    shareModel: Type.Optional(ShareModelSchema),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'required with shareModel 4' })),
    content: Type.Optional(Type.Integer({ minimum: 0, maximum: 99, description: 'content type (default 3: audio + video)' })),
    groupId: Type.Optional(LiveGroupIdSchema),
    heartbeat: Type.Optional(
      Type.Boolean({
        description:
          "true: the author enters the room as its host and heartbeats it (room.heartbeat); an author silent for ROOM_MEMBER_TIMEOUT_MS + ROOM_HOST_GRACE_MS stops the stream. Default false (the seed's clients do not heartbeat: only stop ends the stream)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type StartInput = Static<typeof StartBody>;

export const VideoView = Type.Object({
  videoID: VideoIdSchema,
  author: UserIdSchema,
  title: Type.String(),
  description: Type.String(),
  save: Type.Integer(),
  calltype: Type.String(),
  shareModel: Type.Integer(),
  content: Type.Integer(),
  groupId: Type.Optional(LiveGroupIdSchema),
  liveFlag: Type.Integer({ description: '1 live now, 0 not' }),
  host: Type.String({ description: 'RTP/UDP host to push to' }),
  port: Type.Integer({ description: 'RTP/UDP port to push to' }),
  rtspURL: Type.String(),
  url: Type.String({ description: 'HLS URL' }),
  startedAt: Type.Integer(),
  endedAt: Type.Optional(Type.Integer()),
  viewers: Type.Integer({ description: 'members of its room now (with heartbeat: true the author is one of them)' }),
});
export type VideoViewT = Static<typeof VideoView>;

export const VideoList = Type.Object({ total: Type.Integer(), pageNumber: Type.Integer(), pageSize: Type.Integer(), videos: Type.Array(VideoView) });

export const ListQuery = Type.Object(
  {
    author: Type.Optional(UserIdSchema),
    groupId: Type.Optional(LiveGroupIdSchema),
    liveFlag: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1)])),
    pageNumber: Type.Integer({ minimum: 1, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
  },
  { additionalProperties: false },
);
export type ListQueryT = Static<typeof ListQuery>;

export const JoinBody = Type.Object({ password: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false });
export const JoinResult = Type.Object({ video: VideoView, joined: Type.Boolean(), memsize: Type.Integer() });

export const LiveGroupView = Type.Object({
  groupId: LiveGroupIdSchema,
  name: Type.String(),
  token: Type.String({ description: 'the secret of listVideoConditional.do?video.groupId=…&secret=<token>' }),
  members: Type.Array(UserIdSchema),
  createdAt: Type.Integer(),
});
export const CreateGroupBody = Type.Object(
  { name: Type.Optional(Type.String({ maxLength: 128 })), members: Type.Optional(Type.Array(UserIdSchema, { maxItems: 1000 })) },
  { additionalProperties: false },
);
export const GroupMembersBody = Type.Object(
  { add: Type.Optional(Type.Array(UserIdSchema, { maxItems: 1000 })), remove: Type.Optional(Type.Array(UserIdSchema, { maxItems: 1000 })) },
  { additionalProperties: false },
);

export const PictureView = Type.Object({
  pictureId: Type.String(),
  author: UserIdSchema,
  url: Type.String(),
  title: Type.String(),
  description: Type.String(),
  shareModel: Type.Integer(),
  createdAt: Type.Integer(),
});
export type PictureViewT = Static<typeof PictureView>;
export const PostPictureBody = Type.Object(
  {
    url: Type.String({
      pattern: '^https?://',
      maxLength: 2048,
      description: 'where the image is (uploaded to COS/VOD with the media signatures, or any web address)',
    }),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    shareModel: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)], { description: '1 public (picture hall, default), 2 private' })),
  },
  { additionalProperties: false },
);
export const PictureList = Type.Object({
  total: Type.Integer(),
  pageNumber: Type.Integer(),
  pageSize: Type.Integer(),
  pictures: Type.Array(PictureView),
});
export const PageQuery = Type.Object(
  { pageNumber: Type.Integer({ minimum: 1, default: 1 }), pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }) },
  { additionalProperties: false },
);
