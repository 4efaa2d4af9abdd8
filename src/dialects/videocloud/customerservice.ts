// Seed 004 §4.2 (PC 端客服使用流程) served by Switchboard under the seed's base path
// /LiveVideoServer/: the two snippets a site pastes (a floating 在线咨询 button opening the
// consultation page with the appId, a 登录坐席 button opening the seat console), the icon
// they show, the consultation page (chat4help.jsp) and the seat console (chat4tp.do).
// The pages are plain HTML + JS on the socket API (cs.* events, the Socket.IO client the
// server serves at /socket.io/socket.io.js) and the native REST routes of customerservice.
// Files are read once at registration (a few KB) and served from memory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { RoutePlugin } from '../../modules/deps.js';
import { check } from '../../infra/validation.js';
import { AppIdSchema } from '../../modules/accounts/schemas.js';
import { packageRoot } from '../../modules/messaging/service.js';
import { escapeHtml, VTC_BASE } from './common.js';

/** assets/customerservice/<name> at the package root (from src/ under tests, from dist/src/ under npm start). */
const read = (name: string) => readFileSync(join(packageRoot(), 'assets', 'customerservice', name));

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'application/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  png: 'image/png',
};

const AppIdQuery = Type.Object({ appId: Type.Optional(Type.String({ maxLength: 64 })) });

/** The appId as JavaScript: a number when it is all digits (as the seed's `appId=10000`), else a string literal. */
export function appIdLiteral(appid: string): string {
  return /^[0-9]{1,15}$/.test(appid) ? appid : JSON.stringify(appid);
}

/** The seed's paste-in code with the deployment's base URL (and the app's appId) filled in. */
let templates: { consult: string; seat: string } | null = null;
export function snippets(hostname: string, appid: string): { consult: string; seat: string } {
  templates ??= { consult: read('snippet-consult.js').toString('utf8'), seat: read('snippet-seat.js').toString('utf8') };
  const fill = (t: string) => t.replace('__HOSTNAME__', () => hostname).replace('__APPID__', () => appIdLiteral(appid));
  return { consult: fill(templates.consult), seat: fill(templates.seat) };
}

export const customerServicePages: RoutePlugin = async (app, { core }) => {
  const files = new Map<string, { type: string; body: Buffer }>();
  const serve = (path: string, name: string) => {
    const ext = name.slice(name.lastIndexOf('.') + 1);
    files.set(path, { type: TYPES[ext] ?? 'application/octet-stream', body: read(name) });
    app.get(path, { schema: { hide: true } }, async (_req, reply) => send(reply, files.get(path)!));
  };
  const send = (reply: FastifyReply, f: { type: string; body: Buffer | string }) =>
    reply
      .header('content-type', f.type)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', f.type.startsWith('text/html') ? 'no-cache' : 'public, max-age=300')
      .send(f.body);

  /** http://host:port/LiveVideoServer/ as the browser reached us (PUBLIC_URL wins when set). */
  const hostnameOf = (req: FastifyRequest) => `${(core.config.PUBLIC_URL ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '')}${VTC_BASE}`;
  const appIdOf = (req: FastifyRequest) => {
    const q = req.query as { appId?: string };
    return q.appId !== undefined && check(AppIdSchema, q.appId) ? q.appId : null;
  };

  serve(`${VTC_BASE}chat4help.jsp`, 'chat4help.html'); // the customer's consultation page (?appId=)
  serve(`${VTC_BASE}chat4tp.do`, 'chat4tp.html'); // the seat console: login, then customers and replies
  serve(`${VTC_BASE}images/mydiv_ico.png`, 'mydiv_ico.png');
  serve(`${VTC_BASE}customerservice/cs.css`, 'cs.css');
  serve(`${VTC_BASE}customerservice/chat4help.js`, 'chat4help.js');
  serve(`${VTC_BASE}customerservice/chat4tp.js`, 'chat4tp.js');

  // Step 1 of §4.2 as a script: <script src=".../LiveVideoServer/js/consult.js?appId=…"></script>
  app.get(`${VTC_BASE}js/consult.js`, { schema: { hide: true, querystring: AppIdQuery } }, async (req, reply) => {
    const appid = appIdOf(req);
    if (!appid) return send(reply.code(400), { type: TYPES.js!, body: '/* consult.js: pass ?appId=<your appId> (letters, digits, _ and -) */\n' });
    return send(reply, { type: TYPES.js!, body: snippets(hostnameOf(req), appid).consult });
  });
  // Step 2 of §4.2 as a script.
  app.get(`${VTC_BASE}js/seat.js`, { schema: { hide: true } }, async (req, reply) =>
    send(reply, { type: TYPES.js!, body: snippets(hostnameOf(req), '0').seat }),
  );

  // The paste-in code exactly as the seed prints it, this deployment's address and the appId filled in.
  app.get(`${VTC_BASE}customerservice/embed.html`, { schema: { hide: true, querystring: AppIdQuery } }, async (req, reply) => {
    const appid = appIdOf(req) ?? '10000';
    const s = snippets(hostnameOf(req), appid);
    const page = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>客服应用 · 网页嵌入代码</title>
<link rel="stylesheet" href="${VTC_BASE}customerservice/cs.css"></head>
<body class="embed">
<h1>PC 端客服使用流程</h1>
<p>步骤 1: 在目标网页指定位置(&lt;script&gt;&lt;/script&gt;标签内)粘贴以下代码,完成后该页面右下角将会出现在线咨询悬浮框 (appId = <code>${escapeHtml(appid)}</code>${appIdOf(req) ? '' : ', 用 <code>?appId=</code> 换成你的 appId'}):</p>
<pre id="snippet-consult">${escapeHtml(s.consult)}</pre>
<p>或者: <code>&lt;script src="${escapeHtml(hostnameOf(req))}js/consult.js?appId=${escapeHtml(encodeURIComponent(appid))}"&gt;&lt;/script&gt;</code></p>
<p>步骤 2: 在目标网页指定位置(&lt;script&gt;&lt;/script&gt;标签内)粘贴以下代码,该页面左下角将会出现客服登录悬浮框:</p>
<pre id="snippet-seat">${escapeHtml(s.seat)}</pre>
<p>或者: <code>&lt;script src="${escapeHtml(hostnameOf(req))}js/seat.js"&gt;&lt;/script&gt;</code></p>
<p>步骤 3: 客服人员点击登录坐席,输入应用 appId、创建坐席时的昵称和密码即可登录。所有在线坐席都会看到客户的咨询,第一个回复的坐席接管该客户,实行一对一交流。</p>
<p class="note">与文档的差异: 文档中的 <code>appld</code>、<code>mydiv ico.png</code>、<code>" blank"</code>、<code>obj 1</code> 为排版错误,此处为 <code>appId</code>、<code>mydiv_ico.png</code>、<code>"_blank"</code>、<code>obj_1</code>; 图标 &lt;img&gt; 的 style 属性补上了结束引号 (文档中缺失, 图标不显示)。</p>
</body></html>`;
    return send(reply, { type: TYPES.html!, body: page });
  });
};
