// Seed 004's public pages (no login): the video hall (index.jsp, where logout.do lands) and
// the picture hall, server-rendered HTML over the same listings as /v1/public/:appid/…
// The app comes from ?appId= (or VTC_APPID). Every value written into HTML is escaped.
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../infra/errors.js';
import type { RoutePlugin } from '../../modules/deps.js';
import { check } from '../../infra/validation.js';
import { AppIdSchema } from '../../modules/accounts/schemas.js';
import type { PictureViewT, VideoViewT } from '../../modules/live/schemas.js';
import { escapeHtml as h, VTC_BASE } from './common.js';

const PageQuery = Type.Object({
  appId: Type.Optional(Type.String({ maxLength: 64 })),
  pageNumber: Type.Optional(Type.String({ maxLength: 7 })),
  videoID: Type.Optional(Type.String({ maxLength: 20 })),
  pictureId: Type.Optional(Type.String({ maxLength: 20 })),
});

const STYLE = `body{font-family:sans-serif;margin:0;background:#f4f4f4;color:#222}header{background:#68b325;color:#fff;padding:12px 20px}header a{color:#fff;margin-right:16px}
main{padding:16px 20px}ul.grid{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px}
ul.grid li{background:#fff;border-radius:4px;padding:10px}ul.grid img{width:100%;height:150px;object-fit:cover}.live{color:#c00;font-weight:bold}.empty{color:#888}`;

function layout(title: string, appid: string, body: string): string {
  const q = `?appId=${encodeURIComponent(appid)}`;
  return `<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>LiveVideo|${h(title)}</title><style>${STYLE}</style></head>
<body><header><a href="${VTC_BASE}index.jsp${q}">视频大厅</a><a href="${VTC_BASE}pictureHall.jsp${q}">图片大厅</a></header><main><h1>${h(title)}</h1>${body}</main></body></html>`;
}

function videoItem(appid: string, v: VideoViewT): string {
  return `<li data-video-id="${h(v.videoID)}"><a href="${VTC_BASE}video.jsp?appId=${encodeURIComponent(appid)}&amp;videoID=${encodeURIComponent(v.videoID)}">${h(v.title)}</a>
${v.liveFlag === 1 ? '<span class="live">直播中</span>' : ''}<p>${h(v.description)}</p><small>${h(v.author)} · ${new Date(v.startedAt).toISOString()}</small></li>`;
}

function pictureItem(appid: string, p: PictureViewT): string {
  return `<li data-picture-id="${h(p.pictureId)}"><a href="${VTC_BASE}picture.jsp?appId=${encodeURIComponent(appid)}&amp;pictureId=${encodeURIComponent(p.pictureId)}"><img src="${h(p.url)}" alt="${h(p.title)}"></a><p>${h(p.title)}</p><small>${h(p.author)}</small></li>`;
}

const list = (items: string[], empty: string) => (items.length ? `<ul class="grid">${items.join('')}</ul>` : `<p class="empty">${empty}</p>`);

export const publicPages: RoutePlugin = async (app, { services, core }) => {
  const { live, accounts } = services;

  async function appOf(q: { appId?: string | undefined }): Promise<string> {
    const appid = q.appId || core.config.VTC_APPID;
    if (!appid || !check(AppIdSchema, appid)) throw new AppError('APP_NOT_FOUND', 'which app? add ?appId=');
    await accounts.getApp(appid);
    return appid;
  }
  const pageNo = (v: string | undefined) => (v && /^[1-9][0-9]{0,5}$/.test(v) ? Number(v) : 1);
  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
  const notFound = (reply: FastifyReply, err: unknown) => {
    if (!(err instanceof AppError)) throw err;
    return html(
      reply,
      404,
      `<!DOCTYPE html><html><head><meta charset="utf-8"><title>LiveVideo</title></head><body><p>${h(err.message)}</p></body></html>`,
    );
  };

  app.get(VTC_BASE.slice(0, -1), { schema: { hide: true } }, async (req, reply) =>
    reply.redirect(`${VTC_BASE}index.jsp${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`, 302),
  );

  // The video hall: live public streams, then saved public videos.
  for (const path of ['index.jsp', 'videoHall.jsp']) {
    app.get(`${VTC_BASE}${path}`, { schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
      try {
        const appid = await appOf(req.query);
        const pageNumber = pageNo(req.query.pageNumber);
        const [now, saved] = await Promise.all([
          live.publicVideos(appid, { liveFlag: 1, pageNumber: 1, pageSize: 50 }),
          live.publicVideos(appid, { liveFlag: 0, pageNumber, pageSize: 20 }),
        ]);
        const body = `<h2>正在直播 (${now.total})</h2>${list(
          now.videos.map((v) => videoItem(appid, v)),
          '暂无直播',
        )}
<h2>视频 (${saved.total})</h2>${list(
          saved.videos.map((v) => videoItem(appid, v)),
          '暂无视频',
        )}`;
        return html(reply, 200, layout('视频大厅', appid, body));
      } catch (err) {
        return notFound(reply, err);
      }
    });
  }

  app.get(`${VTC_BASE}video.jsp`, { schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
    try {
      const appid = await appOf(req.query);
      const videoID = req.query.videoID ?? '';
      if (!/^[1-9][0-9]{0,15}$/.test(videoID)) throw new AppError('VIDEO_NOT_FOUND', 'no such video');
      const v = await live.view(appid, videoID, null);
      const body = `<video id="player" controls autoplay width="600" height="400" src="${h(v.url)}" data-live="${v.liveFlag}"></video>
<p>${h(v.description)}</p><p>HLS: <a href="${h(v.url)}">${h(v.url)}</a>${v.liveFlag === 1 ? `<br>RTSP: ${h(v.rtspURL)}` : ''}</p>`;
      return html(reply, 200, layout(v.title, appid, body));
    } catch (err) {
      return notFound(reply, err);
    }
  });

  app.get(`${VTC_BASE}pictureHall.jsp`, { schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
    try {
      const appid = await appOf(req.query);
      const r = await live.publicPictures(appid, pageNo(req.query.pageNumber), 40);
      return html(
        reply,
        200,
        layout(
          '图片大厅',
          appid,
          `<p>${r.total} 张图片</p>${list(
            r.pictures.map((p) => pictureItem(appid, p)),
            '暂无图片',
          )}`,
        ),
      );
    } catch (err) {
      return notFound(reply, err);
    }
  });

  app.get(`${VTC_BASE}picture.jsp`, { schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
    try {
      const appid = await appOf(req.query);
      const p = await live.getPicture(appid, req.query.pictureId ?? '', null);
      return html(
        reply,
        200,
        layout(
          p.title,
          appid,
          `<img src="${h(p.url)}" alt="${h(p.title)}" style="max-width:100%"><p>${h(p.description)}</p><small>${h(p.author)}</small>`,
        ),
      );
    } catch (err) {
      return notFound(reply, err);
    }
  });
};
