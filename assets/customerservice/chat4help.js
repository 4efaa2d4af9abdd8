// The customer's consultation page (seed 004 §4.2 chat4help.jsp?appId=…): an anonymous
// customer session (kept for this tab in sessionStorage, so a reload keeps the
// conversation), then the socket: cs.send writes; cs.message / cs.status / dispatch.* tell
// what happens. The first seat to reply takes the customer over.
(function () {
  'use strict';
  var appId = new URLSearchParams(location.search).get('appId') || '';
  var $ = function (id) { return document.getElementById(id); };
  var seen = {};
  var socket = null;
  var robot = '客服';
  var noSeats = false;

  function status(text) { $('status').textContent = text; }

  function add(m) {
    if (seen[m.seq]) return;
    seen[m.seq] = true;
    var div = document.createElement('div');
    div.className = 'msg ' + (m.from === 'customer' ? 'mine' : m.from === 'system' ? 'system' : 'seat');
    div.setAttribute('data-seq', m.seq);
    div.setAttribute('data-from', m.from);
    if (m.from !== 'system') {
      var who = document.createElement('div');
      who.className = 'who';
      who.textContent = (m.from === 'customer' ? '我' : m.name) + ' ' + new Date(m.at).toLocaleTimeString();
      div.appendChild(who);
    }
    var text = document.createElement('div');
    text.className = 'text';
    text.textContent = m.text;
    div.appendChild(text);
    var box = $('messages');
    var after = null;
    for (var i = 0; i < box.children.length; i++) if (Number(box.children[i].getAttribute('data-seq')) > m.seq) { after = box.children[i]; break; }
    box.insertBefore(div, after);
    box.scrollTop = box.scrollHeight;
  }

  var ENDED = '会话已结束，发送消息可再次咨询';

  /** Where a consultation stands (the snapshot's, a cs.status, cs.send's answer); closed: the greeting. */
  function describe(c) {
    if (c.state === 'talking') status('客服「' + c.seatName + '」正在为您服务');
    else if (c.state === 'waiting') status('已收到您的咨询，正在为您接通客服…');
    else status(noSeats ? '当前没有在线客服，您可以先留言，客服上线后会看到' : '您好，请问有什么可以帮您？');
  }

  async function api(method, path, body) {
    var res = await fetch(path, { method: method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    var json = await res.json().catch(function () { return null; });
    if (!res.ok) throw (json && json.error) || { code: 'HTTP_' + res.status, message: res.statusText };
    return json;
  }

  var key = 'cs.guest.' + appId;
  async function session(fresh) {
    var saved = !fresh && sessionStorage.getItem(key);
    if (saved) return JSON.parse(saved);
    var s = await api('POST', '/v1/customerservice/guests', { appid: appId });
    sessionStorage.setItem(key, JSON.stringify(s));
    return s;
  }

  function connect(s, retried) {
    socket = io({ auth: { token: s.token }, transports: ['websocket'] });
    socket.on('connect_error', function (err) {
      var code = err && err.data && err.data.code;
      if (code && /^TOKEN_/.test(code) && !retried) {
        socket.close();
        sessionStorage.removeItem(key);
        session(true).then(function (s2) { connect(s2, true); }, function (e) { status('无法开始咨询: ' + e.message); });
      } else status('连接失败，正在重试…');
    });
    socket.on('session.snapshot', function (snap) {
      var cs = snap.customerservice;
      if (cs && cs.consultation) {
        cs.consultation.messages.forEach(add);
        describe(cs.consultation);
      } else describe({ state: 'closed' });
      $('send').disabled = false;
    });
    socket.on('cs.message', add);
    socket.on('cs.status', function (st) {
      if (st.state === 'returned') status('客服「' + st.seatName + '」已离线，正在为您转接其他客服…');
      else if (st.state === 'closed') status(ENDED);
      else describe(st);
    });
    socket.on('dispatch.queued', function (q) { status('客服繁忙，您前面还有 ' + (q.position - 1) + ' 位客户，请稍候…'); });
    socket.on('dispatch.expired', function () { status('暂时没有客服应答，请稍后再试或继续留言'); });
    socket.on('conversation.ended', function (e) { if (e.reason !== 'seat-offline') status(ENDED); });
    socket.on('disconnect', function () { status('连接已断开，正在重连…'); });
  }

  async function send() {
    var text = $('text').value.trim();
    if (!text || !socket) return;
    $('send').disabled = true;
    try {
      var r = await socket.timeout(10000).emitWithAck('cs.send', { text: text });
      if (!r.ok) { status('发送失败: ' + r.error.message); return; }
      $('text').value = '';
      add(r.data.message);
      if (r.data.state === 'waiting') describe(r.data);
    } catch (e) {
      status('发送失败，请重试');
    } finally {
      $('send').disabled = false;
      $('text').focus();
    }
  }

  $('send').addEventListener('click', send);
  $('text').addEventListener('keydown', function (e) { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); send(); } });

  if (!appId) { status('缺少 appId 参数'); return; }
  api('GET', '/v1/customerservice/robot?appid=' + encodeURIComponent(appId)).then(function (r) {
    robot = r.nickname;
    $('title').textContent = '在线咨询 · ' + robot;
    document.title = '在线咨询 · ' + robot;
    noSeats = r.seatsOnline === 0;
    return session(false).then(function (s) { connect(s, false); });
  }).catch(function (e) { status('无法开始咨询: ' + (e.message || e.code)); });
})();
