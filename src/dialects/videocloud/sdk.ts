// Seed 004 §3.2's web JavaScript SDK, served under the seed's base path at both
// /LiveVideoServer/js/<name> and /LiveVideoServer/<name> (pages of that era used either):
//   vtc3p.min.js       vtc3pman: third-party login, register, checkTime (§3.2.1)
//   webImLogin.min.js  VtcWebIm: web IM over the socket gateway, XMPP-like XML stanzas (§3.2.2)
//   vtcVideo.min.js    vtcman, vtcvideoweb, vtcvideo: live start/stop, camera preview, playback (§3.2.3–4)
//   vtcUtil.js, base64.js  the two helpers the document says the SDK depends on
//   jquery.min.js, jquery-2.1.3.min.js, jquery-1.7.1.min.js  the installed jQuery 3 (pages work on a closed network)
// Plain browser files in assets/websdk/ (docs/seed-004-web-sdk.md), read once at registration
// and served from memory. The SDK files find the server from their own <script src>.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { RoutePlugin } from '../../modules/deps.js';
import { packageRoot } from '../../modules/messaging/service.js';
import { VTC_BASE } from './common.js';

/** RFC 9239: text/javascript is the JavaScript media type. */
const JS = 'text/javascript; charset=utf-8';

export const SDK_FILES = ['vtc3p.min.js', 'webImLogin.min.js', 'vtcVideo.min.js', 'vtcUtil.js', 'base64.js'] as const;
export const JQUERY_NAMES = ['jquery.min.js', 'jquery-2.1.3.min.js', 'jquery-1.7.1.min.js'] as const;

export const webSdk: RoutePlugin = async (app) => {
  const files = new Map<string, Buffer>();
  for (const name of SDK_FILES) files.set(name, readFileSync(join(packageRoot(), 'assets', 'websdk', name)));
  // Wherever npm put jquery (the package has no exports map: its dist/ path resolves).
  const jquery = readFileSync(createRequire(import.meta.url).resolve('jquery/dist/jquery.min.js'));
  for (const name of JQUERY_NAMES) files.set(name, jquery);

  for (const [name, body] of files) {
    for (const path of [`${VTC_BASE}js/${name}`, `${VTC_BASE}${name}`]) {
      app.get(path, { schema: { hide: true } }, async (_req, reply) =>
        reply.header('content-type', JS).header('x-content-type-options', 'nosniff').header('cache-control', 'public, max-age=300').send(body),
      );
    }
  }
};
