/*
 * base64.js — one of the two helpers seed 004 §3.2 says the web SDK depends on.
 * Base64.encode / Base64.decode of JavaScript strings through UTF-8 (btoa alone takes only
 * Latin-1, so "中文" would throw), the API of the webtoolkit Base64 object pages of that era
 * used. The SDK itself needs no base64; the file is here so pages that include it (and call
 * it) work. Served from memory by Switchboard at /LiveVideoServer/[js/]base64.js.
 */
(function (global) {
  'use strict';

  function utf8Bytes(s) {
    return new TextEncoder().encode(String(s));
  }

  var Base64 = {
    /** Base64 of the UTF-8 bytes of `s`. */
    encode: function (s) {
      var bytes = utf8Bytes(s);
      var bin = '';
      // Chunked: String.fromCharCode.apply has an argument-count limit.
      for (var i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      return global.btoa(bin);
    },
    /** The string whose UTF-8 bytes `b64` encodes (URL-safe alphabet and missing padding accepted). */
    decode: function (b64) {
      var s = String(b64).replace(/[\s]/g, '').replace(/-/g, '+').replace(/_/g, '/');
      while (s.length % 4) s += '=';
      var bin = global.atob(s);
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      return new TextDecoder('utf-8').decode(bytes);
    },
  };

  global.Base64 = Base64;
})(window);
