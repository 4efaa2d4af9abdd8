// The seat console (seed 004 §4.2 chat4tp.do): login with appId, nickname and password,
// then cs.seat.online. Every waiting consultation of the app is offered to every online
// seat (dispatch.offer); clicking a customer and replying (cs.reply) takes it over if this
// seat is first — the other seats are told (cs.taken), and a late reply is refused with
// the winner's name (CS_TAKEN). Closing the console or 退出 returns its customers to the pool.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var params = new URLSearchParams(location.search);
  var socket = null;
  var me = null; // { uid, name, robot, token }
  var heartbeat = null;
  var customers = {}; // uid → { uid, name, state, seatName, requestId, messages: {seq: m}, li }
  var selected = null;
  var BADGE = { waiting: '待接入', mine: '我的客户', taken: '已被接管', closed: '已结束' };

  function notice(text, isError) {
    $('notice').textContent = text || '';
    $('notice').className = isError ? 'error' : '';
  }

  async function api(method, path, body, token) {
    var headers = {};
    if (body) headers['content-type'] = 'application/json';
    if (token) headers.authorization = 'Bearer ' + token;
    var res = await fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined });
    var json = await res.json().catch(function () { return null; });
    if (!res.ok) throw (json && json.error) || { code: 'HTTP_' + res.status, message: res.statusText };
    return json;
  }

  function entry(uid, name) {
    var c = customers[uid];
    if (!c) {
      c = customers[uid] = { uid: uid, name: name || uid, state: 'waiting', seatName: '', requestId: '', messages: {}, li: document.createElement('li') };
      c.li.setAttribute('data-customer', uid);
      c.li.addEventListener('click', function () { select(uid); });
      $('customers').insertBefore(c.li, $('customers').firstChild);
    } else if (name && c.name === c.uid) c.name = name;
    return c;
  }

  function setState(c, state, seatName) {
    c.state = state;
    if (seatName !== undefined) c.seatName = seatName;
    render(c);
    if (selected === c.uid) renderChat();
  }

  function render(c) {
    c.li.className = c.state + (selected === c.uid ? ' selected' : '');
    c.li.setAttribute('data-state', c.state);
    c.li.textContent = '';
    var badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = c.state === 'taken' && c.seatName ? '已被「' + c.seatName + '」接管' : BADGE[c.state];
    var uid = document.createElement('div');
    uid.className = 'uid';
    uid.textContent = c.name;
    var sub = document.createElement('div');
    sub.className = 'sub';
    sub.textContent = c.uid;
    c.li.appendChild(badge);
    c.li.appendChild(uid);
    c.li.appendChild(sub);
  }

  function addMessage(m) {
    var c = entry(m.customer, m.from === 'customer' ? m.name : undefined);
    c.messages[m.seq] = m;
    render(c);
    if (selected === c.uid) renderChat();
  }

  function renderChat() {
    var c = customers[selected];
    var box = $('messages');
    box.textContent = '';
    if (!c) return;
    var title = c.name + ' (' + c.uid + ') · ' + (c.state === 'taken' && c.seatName ? '已被坐席「' + c.seatName + '」接管' : BADGE[c.state]);
    $('chat-title').textContent = title;
    Object.keys(c.messages).map(Number).sort(function (a, b) { return a - b; }).forEach(function (seq) {
      var m = c.messages[seq];
      var div = document.createElement('div');
      div.className = 'msg ' + (m.from === 'system' ? 'system' : m.from === 'seat' && m.uid === me.uid ? 'mine' : '');
      div.setAttribute('data-seq', m.seq);
      if (m.from !== 'system') {
        var who = document.createElement('div');
        who.className = 'who';
        who.textContent = (m.from === 'seat' ? '坐席 ' + m.name : m.name) + ' ' + new Date(m.at).toLocaleTimeString();
        div.appendChild(who);
      }
      var t = document.createElement('div');
      t.className = 'text';
      t.textContent = m.text;
      div.appendChild(t);
      box.appendChild(div);
    });
    box.scrollTop = box.scrollHeight;
    // A taken customer stays answerable: the server refuses the reply and says who has it.
    $('reply-send').disabled = c.state === 'closed';
    $('close-chat').disabled = c.state !== 'mine';
  }

  function select(uid) {
    var prev = customers[selected];
    selected = uid;
    if (prev) render(prev);
    render(customers[uid]);
    renderChat();
    $('reply-text').focus();
  }

  /** A consultation view (cs.history, cs.seat.online) → the customer's entry. */
  function apply(v) {
    var c = entry(v.customer, v.customerName);
    if (v.requestId) c.requestId = v.requestId;
    v.messages.forEach(function (m) { c.messages[m.seq] = m; });
    if (v.state === 'talking') setState(c, v.seat === me.uid ? 'mine' : 'taken', v.seatName);
    else setState(c, v.state === 'waiting' ? 'waiting' : 'closed');
  }

  function byRequest(requestId) {
    for (var k in customers) if (customers[k].requestId === requestId) return customers[k];
    return null;
  }

  function connect() {
    socket = io({ auth: { token: me.token }, transports: ['websocket'] });
    socket.on('connect', async function () {
      var r = await socket.emitWithAck('cs.seat.online', {});
      if (!r.ok) { notice(r.error.message, true); return; }
      $('title').textContent = '客服坐席 · ' + r.data.seat.nickname + ' (' + r.data.robot + ')';
      r.data.consultations.forEach(apply);
      clearInterval(heartbeat);
      heartbeat = setInterval(function () { socket.emit('presence.heartbeat', {}, function () {}); }, r.data.heartbeatMs);
      notice('已上线，等待客户咨询');
    });
    socket.on('connect_error', function (err) {
      var code = err && err.data && err.data.code;
      if (code && /^TOKEN_/.test(code)) { signedOut('登录已失效，请重新登录'); } else notice('连接失败，正在重试…', true);
    });
    socket.on('dispatch.offer', async function (o) {
      if (o.skill !== 'cs') return;
      var c = entry(o.caller, o.data && o.data.customerName);
      c.requestId = o.requestId;
      setState(c, 'waiting');
      notice('新的咨询: ' + c.name);
      var r = await socket.emitWithAck('cs.history', { customer: o.caller });
      if (r.ok) apply(r.data);
    });
    socket.on('cs.message', addMessage);
    socket.on('cs.taken', function (t) {
      var c = customers[t.customer];
      if (!c && t.seat !== me.uid) return;
      c = entry(t.customer);
      c.requestId = t.requestId;
      if (t.seat === me.uid) setState(c, 'mine', t.seatName);
      else {
        setState(c, 'taken', t.seatName);
        notice('客户 ' + c.name + ' 已被坐席「' + t.seatName + '」接管');
      }
    });
    socket.on('dispatch.withdrawn', function (w) {
      var c = byRequest(w.requestId);
      if (c && c.state === 'waiting') setState(c, 'closed');
    });
    socket.on('conversation.ended', function (e) {
      var c = customers[e.caller];
      if (c && e.agent === me.uid && c.state === 'mine') setState(c, 'closed');
    });
    socket.on('session.revoked', function () { signedOut('已退出登录'); });
    socket.on('disconnect', function (reason) { if (reason !== 'io client disconnect') notice('连接已断开，正在重连…', true); });
  }

  function showConsole(on) {
    $('login').style.display = on ? 'none' : '';
    $('console').className = on ? 'on' : '';
    $('logout').style.display = on ? '' : 'none';
  }

  function signedOut(text) {
    clearInterval(heartbeat);
    if (socket) socket.close();
    socket = null;
    sessionStorage.removeItem('cs.seat');
    customers = {};
    selected = null;
    $('customers').textContent = '';
    $('messages').textContent = '';
    $('title').textContent = '客服坐席';
    showConsole(false);
    notice(text || '');
  }

  $('login').addEventListener('submit', async function (e) {
    e.preventDefault();
    $('login-btn').disabled = true;
    try {
      var appid = $('appId').value.trim();
      var r = await api('POST', '/v1/customerservice/seats/login', { appid: appid, nickname: $('nickname').value.trim(), password: $('password').value });
      localStorage.setItem('cs.seat.appId', appid);
      me = { uid: r.uid, name: r.name, robot: r.robot, token: r.token };
      sessionStorage.setItem('cs.seat', JSON.stringify(me));
      $('password').value = '';
      showConsole(true);
      connect();
    } catch (err) {
      notice('登录失败: ' + (err.code === 'WRONG_PASSWORD' ? '昵称或密码错误' : err.message), true);
    } finally {
      $('login-btn').disabled = false;
    }
  });

  $('reply-send').addEventListener('click', async function () {
    var c = customers[selected];
    var text = $('reply-text').value.trim();
    if (!c || !text) return;
    $('reply-send').disabled = true;
    var r = await socket.emitWithAck('cs.reply', { customer: c.uid, text: text });
    if (r.ok) {
      $('reply-text').value = '';
      if (r.data.tookOver) notice('您已接管客户 ' + c.name);
      addMessage(r.data.message);
      setState(c, 'mine');
    } else {
      notice('回复失败: ' + r.error.message, true);
      if (r.error.code === 'CS_TAKEN') setState(c, 'taken');
      else renderChat();
    }
  });
  $('reply-text').addEventListener('keydown', function (e) { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('reply-send').click(); } });

  $('close-chat').addEventListener('click', async function () {
    var c = customers[selected];
    if (!c) return;
    var r = await socket.emitWithAck('cs.close', { customer: c.uid });
    if (r.ok) setState(c, 'closed');
    else notice(r.error.message, true);
  });

  $('logout').addEventListener('click', async function () {
    try {
      if (socket) await socket.timeout(5000).emitWithAck('cs.seat.offline', {});
      await api('POST', '/v1/auth/logout', null, me.token);
    } catch (e) { /* signed out locally anyway */ }
    signedOut('已退出登录');
  });

  $('appId').value = params.get('appId') || localStorage.getItem('cs.seat.appId') || '';
  var saved = sessionStorage.getItem('cs.seat');
  if (saved) {
    me = JSON.parse(saved);
    showConsole(true);
    connect();
  }
})();
