// Switchboard dashboard: one Socket.IO connection to the /dashboard namespace.
// On every (re)connect the server sends `dashboard.snapshot` (everything, re-rendered from
// scratch); business events (room.state, room.member.joined, dispatch.taken, charge.ticked …)
// are applied to it as they come; `dashboard.queues` brings queue depths and the sections
// without events of their own every DASHBOARD_QUEUES_INTERVAL_MS. The admin also gets the
// deployment's charts (uPlot; § charts below). The page never polls.
// Credentials stay in memory only (a reload asks again).
/* global io, uPlot */
(() => {
  'use strict';

  const $ = (sel, root = document) => root.querySelector(sel);
  const TERMINAL = new Set(['closed', 'ended', 'playback']);
  const ENDED_ROW_MS = 30_000; // an ended room or call stays greyed this long, then goes
  const FEED_MAX = 100;
  const CHIPS_MAX = 50; // members shown per room; the count is always exact

  /** appid → { rooms: Map, roomsTotal, agents, dispatch, pairing: Map, pairingTotal, calls: Map, callsTotal } */
  let apps = new Map();
  let queues = [];
  let queuesAt = 0;
  let socket = null;
  let snapshotSeen = false; // events before the snapshot of this connection are buffered
  let buffered = [];
  let filter = '';
  const dirty = new Set();

  // ── login ──────────────────────────────────────────────────────────────────
  const form = $('#login');
  form.addEventListener('change', () => {
    const mode = form.elements.mode.value;
    for (const el of form.querySelectorAll('[data-mode]')) el.hidden = el.dataset.mode !== mode;
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = form.elements;
    const auth = f.mode.value === 'admin'
      ? { adminToken: f.adminToken.value.trim(), ...(f.adminAppid.value.trim() ? { appid: f.adminAppid.value.trim() } : {}) }
      : { appid: f.appid.value.trim(), secret: f.secret.value };
    $('#login-error').textContent = '';
    open(auth);
  });
  $('#logout').addEventListener('click', () => signOut(''));
  $('#app-filter').addEventListener('change', (e) => {
    filter = e.target.value;
    renderAll();
  });

  function setStatus(kind, text) {
    const s = $('#status');
    s.className = `status ${kind}`;
    s.textContent = text;
  }

  function signOut(message) {
    if (socket) socket.close();
    socket = null;
    apps = new Map();
    queues = [];
    resetCharts();
    $('#board').hidden = true;
    $('#logout').hidden = true;
    $('#app-pick').hidden = true;
    $('#who').textContent = '';
    form.hidden = false;
    form.elements.secret.value = '';
    form.elements.adminToken.value = '';
    $('#login-error').textContent = message;
    setStatus('off', 'signed out');
  }

  function open(auth) {
    if (socket) socket.close();
    setStatus('wait', 'connecting…');
    socket = io('/dashboard', { auth, transports: ['websocket'] });
    socket.on('connect', () => {
      snapshotSeen = false;
      chartsAsked = false;
      buffered = [];
      setStatus('wait', 'loading…');
    });
    socket.on('connect_error', (err) => {
      // A refused handshake carries {code, message}; anything else is the network: retry.
      if (err && err.data && err.data.code) signOut(`${err.data.code}: ${err.data.message}`);
      else setStatus('wait', 'reconnecting…');
    });
    socket.on('dashboard.revoked', (e) => signOut(`${e.code}: ${e.message} (signed out: the credentials no longer open this app)`));
    socket.on('disconnect', (reason) => {
      // The server closing the socket (flood, shutdown of this session) is final; anything else reconnects.
      if (reason === 'io server disconnect') signOut('the server closed the dashboard session');
      else if (reason !== 'io client disconnect') setStatus('wait', 'reconnecting…');
    });
    socket.on('dashboard.charts.point', (p) => addPoints([p]));
    socket.on('dashboard.snapshot', (snap) => {
      load(snap, auth);
      // Once per connection, with the newest point held: a reconnect keeps the charts' past.
      if (snap.admin && !chartsAsked) {
        chartsAsked = true;
        subscribeCharts();
      }
      snapshotSeen = true;
      const pending = buffered;
      buffered = [];
      for (const [name, data] of pending) apply(name, data);
      setStatus('on', 'live');
    });
    socket.on('dashboard.queues', (q) => {
      queues = q.queues;
      queuesAt = q.serverTime;
      for (const live of q.apps) {
        const a = apps.get(live.appid);
        if (!a) continue;
        setLive(a, live);
        for (const s of ['agents', 'dispatch', 'pairing', 'calls']) dirty.add(s);
      }
      dirty.add('queues');
      schedule();
    });
    socket.onAny((name, data) => {
      if (name.startsWith('dashboard.')) return;
      if (!snapshotSeen) buffered.push([name, data]);
      else apply(name, data);
    });
  }

  // ── state ──────────────────────────────────────────────────────────────────
  function setLive(a, live) {
    a.agents = live.agents;
    a.dispatch = live.dispatch;
    a.pairing = new Map(live.pairing.items.map((x) => [x.askNo, x]));
    a.pairingTotal = live.pairing.total;
    const now = Date.now();
    a.calls = new Map(live.calls.items.map((c) => [c.callId, { ...c, seenAt: now }]));
    a.callsTotal = live.calls.total;
  }

  function load(snap, auth) {
    apps = new Map();
    for (const s of snap.apps) {
      const a = { rooms: new Map(s.rooms.items.map((r) => [r.roomId, { ...r }])), roomsTotal: s.rooms.total };
      setLive(a, s);
      apps.set(s.appid, a);
    }
    queues = snap.queues;
    queuesAt = snap.serverTime;
    form.hidden = true;
    $('#board').hidden = false;
    $('#logout').hidden = false;
    $('#who').textContent = snap.admin ? `admin · ${snap.apps.length} app${snap.apps.length === 1 ? '' : 's'}` : `app ${auth.appid}`;
    const pick = $('#app-filter');
    pick.replaceChildren(new Option('all apps', ''), ...[...apps.keys()].map((id) => new Option(id, id)));
    if (!apps.has(filter)) filter = '';
    pick.value = filter;
    $('#app-pick').hidden = !snap.admin || apps.size < 2;
    renderAll();
  }

  function room(a, appid, roomId, fallback) {
    let r = a.rooms.get(roomId);
    if (!r && fallback) {
      r = { roomId, kind: fallback.kind || 'room', host: fallback.host || '', label: fallback.state || 'open', memsize: 0, members: [], createdAt: Date.now() };
      a.rooms.set(roomId, r);
      a.roomsTotal += 1;
    }
    return r;
  }

  function endRoom(a, r) {
    if (r.endedAt) return;
    r.endedAt = Date.now();
    r.memsize = 0;
    r.members = [];
    setTimeout(() => {
      if (a.rooms.get(r.roomId) === r) {
        a.rooms.delete(r.roomId);
        a.roomsTotal = Math.max(0, a.roomsTotal - 1);
        dirty.add('rooms');
        schedule();
      }
    }, ENDED_ROW_MS);
  }

  /** Applies one business event to the state; unknown events only go to the feed. */
  function apply(name, d) {
    const a = d && apps.get(d.appid);
    if (!a) return;
    feed(name, d);
    switch (name) {
      case 'room.state': {
        const known = a.rooms.get(d.roomId);
        if (!known && TERMINAL.has(d.state)) break; // the end of a room we never listed
        const r = room(a, d.appid, d.roomId, d);
        r.label = d.state;
        r.kind = d.kind || r.kind;
        r.host = d.host || r.host;
        r.memsize = d.memsize;
        if (TERMINAL.has(d.state)) endRoom(a, r);
        flash('rooms', `${d.appid}/${d.roomId}`);
        break;
      }
      case 'room.started': {
        const r = room(a, d.appid, d.roomId, { kind: d.kind, host: d.host, state: 'open' });
        flash('rooms', `${d.appid}/${r.roomId}`);
        break;
      }
      case 'room.ended': {
        const r = a.rooms.get(d.roomId);
        if (r) {
          if (d.state) r.label = d.state;
          endRoom(a, r);
          dirty.add('rooms');
        }
        break;
      }
      case 'room.member.joined':
      case 'room.member.left':
      case 'room.member.timedout': {
        const r = room(a, d.appid, d.roomId, { kind: d.kind, state: 'open' });
        if (r.endedAt) break;
        r.members = (r.members || []).filter((m) => m.uid !== d.uid);
        if (name === 'room.member.joined') r.members.push({ uid: d.uid, role: d.role || 'member', joinedAt: d.at || Date.now() });
        if (typeof d.memsize === 'number') r.memsize = d.memsize;
        flash('rooms', `${d.appid}/${d.roomId}`);
        break;
      }
      case 'dispatch.taken':
      case 'dispatch.expired': {
        for (const q of a.dispatch.queues) {
          const before = q.requests.length;
          q.requests = q.requests.filter((x) => x.requestId !== d.requestId);
          if (q.requests.length < before) {
            q.total -= 1;
            a.dispatch.total -= 1;
          }
        }
        dirty.add('dispatch');
        break;
      }
      case 'charge.ticked': {
        const c = a.calls.get(d.callId) || { callId: d.callId, payer: d.payer, payee: d.payee, priceKey: '', state: 'active' };
        if (!a.calls.has(d.callId)) a.callsTotal += 1;
        Object.assign(c, { units: d.units, amount: d.amount, elapsedMs: d.elapsedMs, unitPrice: d.unitPrice, unitSeconds: d.unitSeconds, seenAt: Date.now() });
        a.calls.set(d.callId, c);
        flash('calls', `${d.appid}/${d.callId}`);
        break;
      }
      case 'charge.ended': {
        const c = a.calls.get(d.callId);
        if (c && !c.endedAt) {
          Object.assign(c, { units: d.units, amount: d.amount, elapsedMs: d.elapsedMs, endedAt: Date.now(), state: 'ended' });
          setTimeout(() => {
            if (a.calls.get(d.callId) === c) {
              a.calls.delete(d.callId);
              a.callsTotal = Math.max(0, a.callsTotal - 1);
              dirty.add('calls');
              schedule();
            }
          }, ENDED_ROW_MS);
          dirty.add('calls');
        }
        break;
      }
      case 'pairing.matched': {
        const ask = a.pairing.get(d.askNo);
        if (ask) Object.assign(ask, { state: 'incall', peerUid: d.peerUid, callId: d.callId });
        dirty.add('pairing');
        break;
      }
      default:
        break;
    }
    schedule();
  }

  // ── rendering (batched: at most once per frame) ──────────────────────────────
  let frame = 0;
  const flashes = new Set();
  function flash(section, key) {
    dirty.add(section);
    flashes.add(`${section}:${key}`);
  }
  function schedule() {
    if (!frame && dirty.size) frame = requestAnimationFrame(flush);
  }
  function flush() {
    frame = 0;
    const sections = [...dirty];
    dirty.clear();
    for (const s of sections) RENDER[s]();
    flashes.clear();
  }
  function renderAll() {
    for (const s of Object.keys(RENDER)) dirty.add(s);
    schedule();
  }

  function cell(content, cls) {
    const td = document.createElement('td');
    if (cls) td.className = cls;
    if (content instanceof Node) td.append(content);
    else td.textContent = content === undefined || content === null ? '' : String(content);
    return td;
  }
  function stateCell(state) {
    const span = document.createElement('span');
    span.className = `state state-${String(state).replace(/[^a-z0-9-]/gi, '')}`;
    span.textContent = state;
    return cell(span);
  }
  function row(section, key, cells, extraClass) {
    const tr = document.createElement('tr');
    tr.dataset.key = key;
    if (extraClass) tr.className = extraClass;
    if (flashes.has(`${section}:${key}`)) tr.classList.add('flash');
    tr.append(...cells);
    return tr;
  }
  function fill(section, rows, columns, emptyText) {
    const body = $(`#${section} tbody`);
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      tr.className = 'empty';
      const td = cell(emptyText);
      td.colSpan = columns;
      tr.append(td);
      body.replaceChildren(tr);
    } else body.replaceChildren(...rows);
  }
  function count(section, shown, total) {
    $(`[data-count="${section}"]`).textContent = total > shown ? `(${shown} of ${total})` : `(${total})`;
  }
  function visible() {
    document.body.classList.toggle('multi', apps.size > 1 && !filter);
    return [...apps].filter(([id]) => !filter || id === filter);
  }
  /** A length of time in milliseconds, e.g. "1m 5s". */
  const duration = (ms) => {
    const s = Math.max(0, Math.round(ms / 1000));
    return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  };
  /** Time since a moment (epoch ms). */
  const ago = (t) => duration(Date.now() - t);
  const money = (n) => (typeof n === 'number' ? (n / 100).toFixed(2) : '');

  const RENDER = {
    charts() {
      renderCharts();
    },
    rooms() {
      const rows = [];
      let total = 0;
      for (const [appid, a] of visible()) {
        total += a.roomsTotal;
        const list = [...a.rooms.values()].sort((x, y) => Number(y.roomId) - Number(x.roomId));
        for (const r of list) {
          const who = document.createElement('div');
          const shown = (r.members || []).slice(0, CHIPS_MAX);
          for (const m of shown) {
            const chip = document.createElement('span');
            chip.className = m.role === 'host' ? 'chip host' : 'chip';
            chip.dataset.uid = m.uid;
            chip.title = `${m.role} since ${new Date(m.joinedAt).toLocaleTimeString()}`;
            chip.textContent = m.uid;
            who.append(chip);
          }
          const more = r.memsize - shown.length;
          if (more > 0) who.append(`+${more} more`);
          const tr = row('rooms', `${appid}/${r.roomId}`, [
            cell(appid, 'app-col'), cell(r.roomId), cell(r.kind), stateCell(r.label), cell(r.host), cell(r.memsize, 'num members'), cell(who),
          ], r.endedAt ? 'ended' : '');
          tr.dataset.room = r.roomId;
          tr.dataset.appid = appid;
          rows.push(tr);
        }
      }
      fill('rooms', rows, 7, 'no open rooms');
      count('rooms', rows.length, total);
    },
    agents() {
      const rows = [];
      let total = 0;
      for (const [appid, a] of visible()) {
        total += a.agents.total;
        for (const s of a.agents.skills) {
          rows.push(row('agents', `${appid}/${s.skill}`, [cell(appid, 'app-col'), cell(s.skill), cell(s.online, 'num'), cell(s.offered, 'num'), cell(s.busy, 'num'), cell(s.waiting, 'num')]));
        }
      }
      fill('agents', rows, 6, 'no agent online');
      $('[data-count="agents"]').textContent = `(${total} online)`;
    },
    dispatch() {
      const rows = [];
      let total = 0;
      for (const [appid, a] of visible()) {
        total += a.dispatch.total;
        for (const q of a.dispatch.queues) {
          for (const r of q.requests) {
            const tr = row('dispatch', `${appid}/${r.requestId}`, [cell(appid, 'app-col'), cell(q.skill), cell(r.position, 'num'), cell(r.requestId), cell(r.caller), cell(r.round, 'num'), cell(ago(r.createdAt))]);
            tr.dataset.request = r.requestId;
            rows.push(tr);
          }
        }
      }
      fill('dispatch', rows, 7, 'nobody waiting');
      count('dispatch', rows.length, total);
    },
    pairing() {
      const rows = [];
      let total = 0;
      for (const [appid, a] of visible()) {
        total += a.pairingTotal;
        for (const x of a.pairing.values()) {
          const tr = row('pairing', `${appid}/${x.askNo}`, [cell(appid, 'app-col'), cell(x.askNo), cell(x.askUid), stateCell(x.state), cell(x.round, 'num'), cell(x.peerUid || ''), cell(ago(x.startAt))]);
          tr.dataset.ask = x.askNo;
          rows.push(tr);
        }
      }
      fill('pairing', rows, 7, 'no ask in flight');
      count('pairing', rows.length, total);
    },
    calls() {
      const rows = [];
      let total = 0;
      for (const [appid, a] of visible()) {
        total += a.callsTotal;
        for (const c of a.calls.values()) {
          // Between ticks the clock runs on here; the charge moves with each charge.ticked.
          const elapsed = c.endedAt ? c.elapsedMs : c.elapsedMs + (Date.now() - c.seenAt);
          const price = c.unitPrice !== undefined ? `${money(c.unitPrice)} / ${c.unitSeconds}s` : '';
          const tr = row('calls', `${appid}/${c.callId}`, [
            cell(appid, 'app-col'), cell(c.callId), cell(`${c.payer} → ${c.payee}`), cell(price), cell(c.units, 'num'), cell(money(c.amount), 'num charge'), cell(duration(elapsed), 'num'),
          ], c.endedAt ? 'ended' : '');
          tr.dataset.call = c.callId;
          rows.push(tr);
        }
      }
      fill('calls', rows, 7, 'no metered call');
      count('calls', rows.length, total);
    },
    queues() {
      fill('queues', queues.map((q) => row('queues', q.name, [
        cell(q.name), cell(q.counts.waiting ?? 0, 'num'), cell(q.counts.delayed ?? 0, 'num'), cell(q.counts.active ?? 0, 'num'), cell(q.counts.failed ?? 0, 'num'), cell(q.counts.completed ?? 0, 'num'),
      ])), 6, 'no queue');
      const failed = queues.flatMap((q) => q.failed.map((j) => ({ ...j, queue: q.name })))
        .filter((j) => !filter || j.appid === filter)
        .sort((x, y) => (y.finishedOn || 0) - (x.finishedOn || 0))
        .slice(0, 50);
      const body = $('#failed tbody');
      body.replaceChildren(...(failed.length ? failed.map((j) => row('failed', `${j.queue}/${j.id}`, [
        cell(j.queue), cell(`${j.name} #${j.id}`), cell(j.appid || '', 'app-col'), cell(j.failedReason), cell(j.attemptsMade, 'num'), cell(j.finishedOn ? new Date(j.finishedOn).toLocaleString() : ''),
      ])) : [row('failed', 'none', [Object.assign(cell('no failed job'), { colSpan: 6 })], 'empty')]));
      $('#queues-at').textContent = queuesAt ? `at ${new Date(queuesAt).toLocaleTimeString()}` : '';
    },
  };

  function feed(name, d) {
    const li = document.createElement('li');
    const t = document.createElement('time');
    t.textContent = new Date(d.at || Date.now()).toLocaleTimeString();
    const what = ['roomId', 'uid', 'requestId', 'conversationId', 'callId', 'askNo', 'agent', 'state', 'memsize', 'units']
      .filter((k) => d[k] !== undefined)
      .map((k) => `${k} ${d[k]}`)
      .join(' · ');
    li.append(t, `${apps.size > 1 ? `[${d.appid}] ` : ''}${name}${what ? ` — ${what}` : ''}`);
    const list = $('#feed');
    list.prepend(li);
    while (list.children.length > FEED_MAX) list.lastElementChild.remove();
  }

  // ── charts ─────────────────────────────────────────────────────────────────
  // Admin only: the whole deployment, one point per DASHBOARD_SAMPLE_MS (every api and worker
  // process's sample of that time, merged on the server: docs/dashboard.md). `dashboard.charts`
  // answers with the history; `dashboard.charts.point` brings each new point.
  let points = []; // oldest first
  let historyMs = 15 * 60_000;
  let chartsAsked = false;
  const PALETTE = ['#2f6fde', '#c53030', '#1f8a4c', '#b7791f', '#805ad5', '#0f8b8d', '#d53f8c', '#dd6b20', '#4a5568', '#38a169', '#3182ce', '#975a16'];
  const TOTAL_COLOR = '#1d2330';
  const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const pick = (o, k) => (o ? num(o[k]) : null);
  const byQueue = (field) => ({ keys: (p) => Object.keys(p.queues), value: (p, k) => (p.queues[k] ? p.queues[k][field] : null) });
  /**
   * The charts, in grid order: fixed series ([label, value of a point]), or keyed ones (a line
   * per queue or error code that was non-zero within the window, and their total).
   */
  const CHARTS = [
    { id: 'sockets', title: 'Connected sockets', unit: '', series: [['sockets', (p) => p.sockets]] },
    { id: 'churn', title: 'Joins / leaves', unit: 'per s', series: [['sockets in', (p) => p.connects], ['sockets out', (p) => p.disconnects], ['room joins', (p) => p.joins], ['room leaves', (p) => p.leaves]] },
    { id: 'events', title: 'Socket events', unit: 'per s', series: [['in', (p) => p.eventsIn], ['out', (p) => p.eventsOut]] },
    { id: 'depth', title: 'Queue depth', unit: 'jobs ready, not started', keyed: { ...byQueue('depth'), total: 'all queues' } },
    { id: 'completed', title: 'Jobs completed', unit: 'per s', keyed: { ...byQueue('completed'), total: 'all queues' } },
    { id: 'failed', title: 'Job attempts failed', unit: 'per s', keyed: { ...byQueue('failed'), total: 'all queues' } },
    { id: 'dispatch', title: 'Dispatch wait', unit: 'ms, request → accept', gaps: true, series: [['p50', (p) => pick(p.dispatchWait, 'p50')], ['p99', (p) => pick(p.dispatchWait, 'p99')]] },
    { id: 'calls', title: 'Metered calls', unit: 'active', series: [['calls', (p) => p.calls]] },
    { id: 'ticks', title: 'Tick lateness', unit: 'ms', gaps: true, series: [['p50', (p) => pick(p.tickLateness, 'p50')], ['p99', (p) => pick(p.tickLateness, 'p99')]] },
    { id: 'webhooks', title: 'Webhooks', unit: 'deliveries', series: [['backlog', (p) => pick(p.webhooks, 'backlog')], ['dead letters', (p) => pick(p.webhooks, 'dead')]] },
    { id: 'redis', title: 'Redis round trip', unit: 'ms, slowest process', series: [['PING', (p) => p.redisRtt]] },
    { id: 'errors', title: 'Errors', unit: 'per s, by code', keyed: { keys: (p) => Object.keys(p.errors), value: (p, k) => num(p.errors[k]) ?? 0, total: 'all codes' } },
  ];
  const colorOf = (key) => {
    let h = 0;
    for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return PALETTE[h % PALETTE.length];
  };
  const compact = (v) => (v === null ? '–' : Math.abs(v) >= 10_000 ? `${(v / 1000).toFixed(0)}k` : Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(1)}k` : String(Math.round(v * 100) / 100));

  // The grid's cards, made once; each card's uPlot is made when its series change.
  const grid = $('#charts .chart-grid');
  for (const c of CHARTS) {
    const card = document.createElement('div');
    card.className = 'chart';
    card.dataset.chart = c.id;
    card.dataset.points = '0';
    const h = document.createElement('h3');
    const unit = document.createElement('span');
    unit.className = 'unit';
    unit.textContent = c.unit ? ` · ${c.unit}` : '';
    h.append(c.title, unit);
    const plot = document.createElement('div');
    plot.className = 'plot';
    card.append(h, plot);
    grid.append(card);
    c.card = card;
    c.holder = plot;
  }

  /** A chart's labels, colours and aligned data (uPlot: x in seconds, then one array per series). */
  function dataOf(c) {
    const xs = points.map((p) => p.t / 1000);
    if (c.series) return { labels: c.series.map(([l]) => l), colors: PALETTE, data: [xs, ...c.series.map(([, f]) => points.map((p) => num(f(p))))] };
    const k = c.keyed;
    const active = new Set();
    for (const p of points) for (const key of k.keys(p)) if (k.value(p, key)) active.add(key);
    const keys = [...active].sort();
    const total = points.map((p) => {
      let t = k.keys(p).length ? null : 0; // no error code at all: none happened
      for (const key of k.keys(p)) {
        const v = k.value(p, key);
        if (v !== null) t = (t ?? 0) + v;
      }
      return t === null ? null : Math.round(t * 100) / 100;
    });
    return { labels: [k.total, ...keys], colors: [TOTAL_COLOR, ...keys.map(colorOf)], data: [xs, total, ...keys.map((key) => points.map((p) => k.value(p, key)))] };
  }

  const clock = (secs, withSeconds) => new Date(secs * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', ...(withSeconds ? { second: '2-digit' } : {}) });
  /** The value under the cursor; with the cursor elsewhere, the latest one (so the legend reads as "now"). */
  const legendValue = (u, v, si, idx) => compact(idx === null ? num(u.data[si][u.data[si].length - 1]) : v);

  function makePlot(c, d) {
    if (c.plot) c.plot.destroy();
    const axis = { stroke: '#6b7385', grid: { stroke: '#eef0f4', width: 1 }, ticks: { stroke: '#e3e6ec', width: 1 }, font: '11px system-ui, sans-serif' };
    c.plot = new uPlot({
      width: Math.max(200, c.holder.clientWidth),
      height: 140,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.15 : 1] } },
      axes: [
        { ...axis, values: (u, splits) => splits.map((v) => clock(v, u.scales.x.max - u.scales.x.min < 600)) },
        { ...axis, size: 44, values: (u, vals) => vals.map(compact) },
      ],
      series: [
        { value: (u, v, si, idx) => (idx === null ? 'now' : clock(v, true)) },
        ...d.labels.map((label, i) => ({ label, stroke: d.colors[i % d.colors.length], width: i === 0 && c.keyed ? 2 : 1.5, spanGaps: Boolean(c.gaps), points: { show: false }, value: legendValue })),
      ],
    }, d.data, c.holder);
    c.labels = d.labels.join('\n');
  }

  function renderCharts() {
    if ($('#charts').hidden) return;
    for (const c of CHARTS) {
      const d = dataOf(c);
      if (!c.plot || c.labels !== d.labels.join('\n')) makePlot(c, d);
      else c.plot.setData(d.data);
      c.card.dataset.points = String(points.length);
    }
    const last = points[points.length - 1];
    $('#charts-note').textContent = last
      ? `last ${Math.round(historyMs / 60_000)} min · ${last.nodes.api} api + ${last.nodes.worker} worker process${last.nodes.api + last.nodes.worker === 1 ? '' : 'es'} · ${new Date(last.t).toLocaleTimeString()}`
      : 'waiting for the first sample…';
  }

  function addPoints(list) {
    for (const p of list) if (!points.length || p.t > points[points.length - 1].t) points.push(p);
    const last = points[points.length - 1];
    if (last) {
      let drop = 0;
      while (drop < points.length && points[drop].t <= last.t - historyMs) drop++;
      if (drop) points = points.slice(drop);
    }
    dirty.add('charts');
    schedule();
  }

  function subscribeCharts() {
    const s = socket;
    const since = points.length ? points[points.length - 1].t : undefined;
    $('#charts').hidden = false;
    s.emit('dashboard.charts', since ? { since } : {}, (r) => {
      if (s !== socket) return;
      if (!r || !r.ok) {
        $('#charts-note').textContent = r ? `${r.error.code}: ${r.error.message}` : '';
        return;
      }
      historyMs = r.data.historyMs;
      if (!r.data.intervalMs) {
        $('#charts').hidden = true; // sampling is off on the server (DASHBOARD_SAMPLE_MS=0)
        return;
      }
      addPoints(r.data.points);
    });
  }

  function resetCharts() {
    points = [];
    for (const c of CHARTS) {
      if (c.plot) c.plot.destroy();
      c.plot = null;
      c.card.dataset.points = '0';
    }
    $('#charts').hidden = true;
  }

  window.addEventListener('resize', () => {
    for (const c of CHARTS) if (c.plot) c.plot.setSize({ width: Math.max(200, c.holder.clientWidth), height: 140 });
  });

  /** For tests and the curious: each chart's uPlot (its .data), and the points held. */
  window.dashboardCharts = {
    ids: () => CHARTS.map((c) => c.id),
    plot: (id) => (CHARTS.find((c) => c.id === id) || {}).plot || null,
    points: () => points,
  };

  // Elapsed times (calls, waiting requests, asks) move on between pushes.
  setInterval(() => {
    if (!socket || $('#board').hidden) return;
    for (const s of ['calls', 'dispatch', 'pairing']) dirty.add(s);
    schedule();
  }, 1000);
})();
