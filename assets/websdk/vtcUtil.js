/*
 * vtcUtil.js — the shared helper seed 004 §3.2 says the web SDK depends on (include it, and
 * base64.js, before vtc3p.min.js / webImLogin.min.js / vtcVideo.min.js). Plain browser
 * JavaScript, no build step; served by Switchboard at /LiveVideoServer/[js/]vtcUtil.js.
 *
 *   vtcUtil.md5(s)                          32 lowercase hex digits of the UTF-8 bytes of s
 *   vtcUtil.secret(appId, timestamp, token) md5("appId=…&timestamp=…&appToken=…"), the §3.1
 *                                           signature (as src/dialects/videocloud/app-auth.ts checks it)
 *   vtcUtil.baseUrl(script)                 http://host/LiveVideoServer/ of an SDK <script>
 *   vtcUtil.form / parseXml / responseFields / post / getSync / api / loadScript: transport
 *   vtcUtil.call(fn, …args)                 a page callback, its errors reported, not swallowed
 *   vtcUtil.session                         the login of this page (token) shared by the SDK objects
 *   vtcUtil.thirdPartyLogin                 ajx/thirdPartyLogin.do, used by vtc3pman and vtcman
 */
(function (global) {
  'use strict';

  // ── md5 (RFC 1321) over UTF-8 ─────────────────────────────────────────────
  var S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  var K = [];
  for (var i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 4294967296) | 0;

  function md5(s) {
    var bytes = new TextEncoder().encode(String(s));
    var n = bytes.length;
    var blocks = ((n + 8) >>> 6) + 1;
    var w = new Int32Array(blocks * 16);
    for (var i = 0; i < n; i++) w[i >> 2] |= bytes[i] << ((i % 4) * 8);
    w[n >> 2] |= 0x80 << ((n % 4) * 8);
    w[blocks * 16 - 2] = (n * 8) | 0; // length in bits, little-endian 64-bit
    w[blocks * 16 - 1] = Math.floor(n / 0x20000000);
    var h = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476];
    for (var off = 0; off < w.length; off += 16) {
      var a = h[0], b = h[1], c = h[2], d = h[3];
      for (var j = 0; j < 64; j++) {
        var f, g;
        if (j < 16) { f = (b & c) | (~b & d); g = j; }
        else if (j < 32) { f = (d & b) | (~d & c); g = (5 * j + 1) % 16; }
        else if (j < 48) { f = b ^ c ^ d; g = (3 * j + 5) % 16; }
        else { f = c ^ (b | ~d); g = (7 * j) % 16; }
        var x = (a + f + K[j] + w[off + g]) | 0;
        var r = S[(j >> 4) * 4 + (j % 4)];
        a = d; d = c; c = b;
        b = (b + ((x << r) | (x >>> (32 - r)))) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
    }
    var hex = '';
    for (var k = 0; k < 16; k++) hex += ((h[k >> 2] >>> ((k % 4) * 8)) & 255).toString(16).padStart(2, '0');
    return hex;
  }

  // ── transport ─────────────────────────────────────────────────────────────
  /**
   * The server's seed base (…/LiveVideoServer/) as the page reached the SDK file: the
   * <script src> minus its name (and a js/ folder). window.VTC_BASE_URL wins, for pages that
   * host copies of the files elsewhere.
   */
  function baseUrl(script) {
    if (global.VTC_BASE_URL) return String(global.VTC_BASE_URL).replace(/\/?$/, '/');
    var src = script && script.src ? script.src : global.location.href;
    var u = new URL(src, global.location.href);
    var path = u.pathname.replace(/[^/]*$/, '').replace(/js\/$/, '');
    return u.origin + path;
  }

  function form(params) {
    var q = new URLSearchParams();
    Object.keys(params || {}).forEach(function (k) {
      if (params[k] !== undefined && params[k] !== null) q.append(k, String(params[k]));
    });
    return q.toString();
  }

  /** An XML text → Document; throws when it is not well-formed. */
  function parseXml(text) {
    var doc = new DOMParser().parseFromString(text, 'application/xml');
    if (doc.getElementsByTagName('parsererror').length) throw new Error('not XML: ' + String(text).slice(0, 80));
    return doc;
  }

  /** The seed's XML answer <response><result>OK</result><userId>…</userId>…</response> → {result, userId, …}. */
  function responseFields(doc) {
    var out = {};
    var root = doc.documentElement;
    for (var c = root.firstElementChild; c; c = c.nextElementSibling) out[c.nodeName] = c.textContent;
    return out;
  }

  /**
   * POSTs a form to base + path and resolves with the answer's text. A form body keeps the
   * request "simple" (no CORS preflight) and the password out of URLs and access logs.
   */
  function post(base, path, params) {
    return fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(params), credentials: 'omit' }).then(function (res) {
      return res.text();
    });
  }

  /** A synchronous GET (for checkTime(), whose documented use reads timediff on the next line). */
  function getSync(url) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', url, false);
    xhr.send();
    return xhr.responseText;
  }

  /** A native JSON route (/v1/…) on the server's origin; rejects with an Error carrying `code`. */
  function api(base, method, path, body, token) {
    var headers = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch(new URL(base).origin + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' }).then(function (res) {
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        if (res.ok) return json;
        var err = (json && json.error) || { code: 'HTTP_' + res.status, message: res.statusText };
        throw Object.assign(new Error(err.message), { code: err.code });
      });
    });
  }

  /** Runs a page's callback outside the SDK's promise chains, so an error in it is reported as such. */
  function call(fn) {
    if (typeof fn !== 'function') return;
    var args = Array.prototype.slice.call(arguments, 1);
    try {
      fn.apply(null, args);
    } catch (e) {
      setTimeout(function () { throw e; });
    }
  }

  var scripts = {};
  function loadScript(src) {
    if (!scripts[src]) {
      scripts[src] = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = src;
        s.onload = function () { resolve(); };
        s.onerror = function () { delete scripts[src]; reject(new Error('could not load ' + src)); };
        document.head.appendChild(s);
      });
    }
    return scripts[src];
  }

  // ── the page's login ──────────────────────────────────────────────────────
  // vtc3pman.login / vtcman.login keep the session here; VtcWebIm takes the appId from it and
  // vtcvideoweb its token. sessionStorage: survives a reload of the tab, not a new tab.
  var KEY = 'vtc.session';
  var current = null;
  var session = {
    get: function () {
      if (current) return current;
      try { current = JSON.parse(global.sessionStorage.getItem(KEY) || 'null'); } catch (e) { current = null; }
      if (current && current.expiresAt && current.expiresAt < Date.now()) current = null;
      return current;
    },
    set: function (s) {
      current = s;
      try { global.sessionStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* storage off: memory only */ }
    },
    clear: function () {
      current = null;
      try { global.sessionStorage.removeItem(KEY); } catch (e) { /* ignore */ }
    },
  };

  /**
   * ajx/thirdPartyLogin.do → resolves {userId, password} (and keeps the session), rejects with
   * the reason word. The server answers IdNotFound (§3.1.2); the JS SDK's word is IdNotFoud
   * (§3.2.1.2, spelled so in the document), which is what a page's fail callback gets.
   */
  function thirdPartyLogin(base, appId, thirdPartyId, password) {
    return post(base, 'ajx/thirdPartyLogin.do', { appId: appId, thirdPartyId: thirdPartyId, password: password }).then(
      function (text) {
        var r = responseFields(parseXml(text));
        if (r.result !== 'OK') throw r.result === 'IdNotFound' ? 'IdNotFoud' : r.result || 'Error';
        session.set({ base: base, appId: String(appId), thirdPartyId: String(thirdPartyId), userId: r.userId, token: r.token, expiresAt: Number(r.expiresAt) || 0 });
        return { userId: r.userId, password: r.password };
      },
      function () {
        throw 'NetworkError';
      },
    ).catch(function (e) {
      throw typeof e === 'string' ? e : 'Error'; // an answer that is not the seed's XML
    });
  }

  global.vtcUtil = {
    md5: md5,
    secret: function (appId, timestamp, appToken) {
      return md5('appId=' + appId + '&timestamp=' + timestamp + '&appToken=' + appToken);
    },
    baseUrl: baseUrl,
    form: form,
    parseXml: parseXml,
    responseFields: responseFields,
    post: post,
    getSync: getSync,
    api: api,
    loadScript: loadScript,
    call: call,
    session: session,
    thirdPartyLogin: thirdPartyLogin,
  };
  // The name md5.js gave the function in pages of that era.
  if (!global.hex_md5) global.hex_md5 = md5;
})(window);
