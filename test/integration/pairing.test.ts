// Pairing end to end: a real api node, real workers (rounds and their timeouts are BullMQ
// jobs), real sockets, the test Redis. Every test uses its own app.
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { ServerEventName, ServerPayload } from '../../src/client/index.js';
import {
  call,
  connect,
  createApp,
  issueToken,
  nextEvent,
  sleep,
  startServer,
  startTestWorkers,
  until,
  okData,
  type TestSnapshot,
  useStack,
} from '../helpers.js';

const ROUND = 500;

const stack = useStack(
  {
    PAIR_CANDIDATES_PER_ROUND: 2,
    PAIR_ROUND_MS: ROUND,
    PAIR_MAX_ROUNDS: 2,
    PAIR_OFFER_LIMIT: 2,
    PAIR_OFFER_WINDOW_MS: 60000,
    SOCKET_RATE_BURST: 200,
  },
  { app: false },
);

type App = { appid: string; secret: string };
/** Every server event a socket received, by name, typed by the catalogue. */
type Received = { [E in ServerEventName]?: Array<ServerPayload<E>> };
type U = { uid: string; token: string; socket: Socket; got: Received };

function record(socket: Socket): Received {
  const got: Record<string, unknown[]> = {};
  socket.onAny((event: string, data: unknown) => (got[event] ??= []).push(data));
  return got as Received; // checked against the catalogue by connect() (checkServerEvents)
}

async function user(app: App, uid: string, profile: Record<string, unknown> = {}, available = false): Promise<U> {
  const token = await issueToken(stack.url, app, uid, { profile });
  const { socket } = await connect(stack.url, token);
  stack.track(socket);
  const u = { uid, token, socket, got: record(socket) };
  if (available) expect((await socket.emitWithAck('pair.available', { available: true })).ok).toBe(true);
  return u;
}

async function candidates(app: App, n: number, prefix = 'c', profile: Record<string, unknown> = {}): Promise<U[]> {
  const out: U[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await user(app, `${prefix}${i}`, profile, true));
    await sleep(2); // distinct availability times: earlier ones are offered first
  }
  return out;
}

const dispatched = (us: U[], askNo: string, round?: number) =>
  us.filter((u) =>
    (u.got['pair.dispatch'] ?? []).some((m) => m.content.data.ask_no === askNo && (round === undefined || m.content.data.round_no === round)),
  );

async function priced(app: App, unitPrice: number, topups: Record<string, number>) {
  expect(
    (await call(stack.url, 'PUT', '/v1/billing/prices/video', { basic: [app.appid, app.secret], body: { unitPrice, unitSeconds: 60 } })).status,
  ).toBe(200);
  for (const [uid, amount] of Object.entries(topups)) {
    expect(
      (await call(stack.url, 'POST', '/v1/billing/topups', { basic: [app.appid, app.secret], body: { uid, amount, ref: `t-${uid}` } })).status,
    ).toBe(200);
  }
}

describe('pairing rounds', () => {
  it('offers each round to new candidates with the seed message, then ends after PAIR_MAX_ROUNDS', async () => {
    const app = await createApp(stack.url);
    const cs = await candidates(app, 4);
    const asker = await user(app, 'asker');
    const r = await asker.socket.emitWithAck('pair.ask', {});
    expect(r.ok).toBe(true);
    const askNo = r.data.askNo;
    await until(() => dispatched(cs, askNo, 1).length === 2, 3000, 'round 1');
    const first = dispatched(cs, askNo, 1);
    expect(first.map((u) => u.uid)).toEqual(['c0', 'c1']);
    expect(first[0]!.got['pair.dispatch']![0]).toEqual({
      objectName: 'RC:CmdMsg',
      content: { name: 'dispatch', data: { ask_no: askNo, ask_uid: 'asker', round_no: 1 }, extra: { ask_no: askNo, round_no: 1, scene: 1 } },
    });
    // the snapshot of an offered candidate carries the dispatch
    const snap = await first[0]!.socket.emitWithAck('session.snapshot', {});
    expect((okData(snap) as TestSnapshot).pairing.offers.map((m: ServerPayload<'pair.dispatch'>) => m.content.data.ask_no)).toEqual([askNo]);

    // no pass within the round → round 2 to the two others
    await until(() => dispatched(cs, askNo, 2).length === 2, 3000, 'round 2');
    expect(dispatched(cs, askNo, 2).map((u) => u.uid)).toEqual(['c2', 'c3']);
    // a round-1 candidate answering now is stale
    const stale = await cs[0]!.socket.emitWithAck('pair.answer', { askNo, roundNo: 1, pass: true });
    expect(stale.error.code).toBe('PAIR_STALE_ROUND');

    const ended = await nextEvent(asker.socket, 'pair.ended', 3000);
    expect(ended).toEqual({ askNo, reason: 'no-match' });
    const info = await asker.socket.emitWithAck('pair.info', { askNo });
    expect(info.data).toMatchObject({ askNo, askUid: 'asker', status: 1, state: 'ended', round: 2, endReason: 'no-match' });
    // the asker is free to ask again
    expect((await asker.socket.emitWithAck('pair.ask', {})).ok).toBe(true);
  });

  it('answer → pair.answered; confirm like → in call, both get pair.matched, metered; hang-up ends it', async () => {
    const app = await createApp(stack.url);
    const cs = await candidates(app, 2);
    const asker = await user(app, 'asker');
    await priced(app, 100, { asker: 1000 });
    const askNo = (await asker.socket.emitWithAck('pair.ask', {})).data.askNo;
    await until(() => dispatched(cs, askNo, 1).length === 2, 3000, 'round 1');
    const answered = nextEvent(asker.socket, 'pair.answered');
    const taken = nextEvent(cs[1]!.socket, 'pair.withdrawn');
    const a = await cs[0]!.socket.emitWithAck('pair.answer', { askNo, roundNo: 1, pass: true });
    expect(a.data).toEqual({ askNo, roundNo: 1, pass: true, won: true });
    expect(await answered).toEqual({ askNo, roundNo: 1, peerUid: 'c0' });
    expect(await taken).toEqual({ askNo, reason: 'taken' });
    expect((await cs[1]!.socket.emitWithAck('pair.answer', { askNo, roundNo: 1, pass: true })).error.code).toBe('PAIR_TAKEN');
    expect((await asker.socket.emitWithAck('pair.confirm', { askNo, pass: true, peerUid: 'c1', callId: 'call-1' })).error.code).toBe(
      'PAIR_WRONG_PEER',
    );

    const m1 = nextEvent(asker.socket, 'pair.matched');
    const m2 = nextEvent(cs[0]!.socket, 'pair.matched');
    const c = await asker.socket.emitWithAck('pair.confirm', { askNo, pass: true, peerUid: 'c0', callId: 'call-1', roundNo: 1 });
    expect(c.data).toMatchObject({ status: 2, state: 'incall', peerUid: 'c0', callId: 'call-1' });
    const matched = { askNo, askUid: 'asker', peerUid: 'c0', callId: 'call-1' };
    expect(await m1).toEqual(matched);
    expect(await m2).toEqual(matched);
    const bill = await call(stack.url, 'GET', '/v1/billing/calls/call-1', { token: asker.token });
    expect(bill.body).toMatchObject({ payer: 'asker', payee: 'c0', state: 'active', units: 1 });
    // the peer sees the call in its snapshot and may read the ask
    expect((await cs[0]!.socket.emitWithAck('session.snapshot', {})).data.pairing.asks[0]).toMatchObject({ askNo, status: 2 });
    // a peer in a call is busy: a new ask does not reach it
    const other = await user(app, 'other');
    await priced(app, 100, { other: 1000 });
    const ask2 = (await other.socket.emitWithAck('pair.ask', {})).data.askNo;
    await until(() => dispatched(cs, ask2, 1).length === 1, 3000, 'ask 2 round 1');
    expect(dispatched(cs, ask2, 1).map((u) => u.uid)).toEqual(['c1']);

    const ended = nextEvent(cs[0]!.socket, 'pair.ended');
    const h = await cs[0]!.socket.emitWithAck('pair.hangup', { askNo });
    expect(h.data).toMatchObject({ status: 1, endReason: 'call-ended' });
    expect(await ended).toEqual({ askNo, reason: 'call-ended' });
    expect((await call(stack.url, 'GET', '/v1/billing/calls/call-1', { token: asker.token })).body.state).not.toBe('active');
    // history: the asker's and the peer's list hold the ask
    const hist = await call(stack.url, 'GET', '/v1/pairing/history', { token: cs[0]!.token });
    expect(hist.body.items.map((i: { askNo: string }) => i.askNo)).toEqual([askNo]);
  });

  it('a call ended by billing (balance exhausted or the app) ends the ask', async () => {
    const app = await createApp(stack.url);
    const [c] = await candidates(app, 1);
    const asker = await user(app, 'asker');
    await priced(app, 100, { asker: 500 });
    const askNo = (await asker.socket.emitWithAck('pair.ask', {})).data.askNo;
    await until(() => dispatched([c!], askNo, 1).length === 1, 3000, 'round 1');
    expect((await c!.socket.emitWithAck('pair.answer', { askNo, roundNo: 1, pass: true })).ok).toBe(true);
    expect((await asker.socket.emitWithAck('pair.confirm', { askNo, pass: true, peerUid: c!.uid })).ok).toBe(true);
    const callId = (await asker.socket.emitWithAck('pair.info', { askNo })).data.callId;
    const ended = nextEvent(asker.socket, 'pair.ended');
    expect((await call(stack.url, 'POST', `/v1/billing/calls/${callId}/end`, { basic: [app.appid, app.secret], body: {} })).status).toBe(200);
    expect((await ended).reason).toBe('call-ended');
    expect((await asker.socket.emitWithAck('pair.info', { askNo })).data.status).toBe(1);
  });

  it('dislike goes back to matching with new candidates; cancel withdraws the offers everywhere', async () => {
    const app = await createApp(stack.url);
    const cs = await candidates(app, 4);
    const asker = await user(app, 'asker');
    const askNo = (await asker.socket.emitWithAck('pair.ask', {})).data.askNo;
    await until(() => dispatched(cs, askNo, 1).length === 2, 3000, 'round 1');
    expect((await cs[1]!.socket.emitWithAck('pair.answer', { askNo, roundNo: 1, pass: false })).data.won).toBe(false);
    expect((await cs[0]!.socket.emitWithAck('pair.answer', { askNo, roundNo: 1, pass: true })).data.won).toBe(true);
    const d = await asker.socket.emitWithAck('pair.confirm', { askNo, pass: false, peerUid: 'c0' });
    expect(d.data).toMatchObject({ state: 'matching', status: 0 });
    await until(() => dispatched(cs, askNo, 2).length === 2, 3000, 'round 2 after the dislike');
    expect(dispatched(cs, askNo, 2).map((u) => u.uid)).toEqual(['c2', 'c3']);

    const w2 = nextEvent(cs[2]!.socket, 'pair.withdrawn');
    const w3 = nextEvent(cs[3]!.socket, 'pair.withdrawn');
    const c = await call(stack.url, 'POST', `/v1/pairing/asks/${askNo}/cancel`, { token: asker.token });
    expect(c.body).toMatchObject({ status: 1, endReason: 'cancelled' });
    expect(await w2).toEqual({ askNo, reason: 'cancelled' });
    expect(await w3).toEqual({ askNo, reason: 'cancelled' });
    expect((await cs[2]!.socket.emitWithAck('pair.answer', { askNo, roundNo: 2, pass: true })).error.code).toBe('PAIR_CLOSED');
    expect((await cs[2]!.socket.emitWithAck('session.snapshot', {})).data.pairing.offers).toEqual([]);
    // only the asker cancels
    expect((await cs[0]!.socket.emitWithAck('pair.cancel', { askNo })).error.code).toBe('NOT_A_PARTY');
    await sleep(ROUND + 200); // the cancelled ask's timers are gone: no round 3, no second pair.ended
    expect(asker.got['pair.ended']).toEqual([{ askNo, reason: 'cancelled' }]);
  });

  it('50 candidates answer one round at once: exactly one wins', async () => {
    const app = await createApp(stack.url);
    const cs: U[] = [];
    for (let i = 0; i < 50; i++) cs.push(await user(app, `r${i}`, {}, true));
    const asker = await user(app, 'asker');
    // all 50 in one round: this app's asks go through a server with 50 per round
    // (same state keys, own queues: the main workers would run its rounds with 2 per round)
    const big = await startServer(
      {},
      {
        ...stack.srv.config,
        QUEUE_PREFIX: `${stack.srv.config.QUEUE_PREFIX}b`,
        PORT: 0,
        PAIR_CANDIDATES_PER_ROUND: 50,
        PAIR_ROUND_MS: 5000,
        PAIR_OFFER_LIMIT: 100,
      },
    );
    const bigWorkers = await startTestWorkers(big.config);
    try {
      const r = await call(big.url, 'POST', '/v1/pairing/asks', { token: asker.token, body: { scene: 1 } });
      expect(r.status).toBe(201);
      const askNo = r.body.askNo;
      await until(() => dispatched(cs, askNo, 1).length === 50, 5000, 'the 50 dispatches');
      const answers = await Promise.all(
        cs.map((c) => call(big.url, 'POST', `/v1/pairing/asks/${askNo}/answer`, { token: c.token, body: { roundNo: 1, pass: true } })),
      );
      const won = answers.filter((a) => a.status === 200 && a.body.won);
      expect(won).toHaveLength(1);
      expect(answers.filter((a) => a.status === 409).every((a) => a.body.error.code === 'PAIR_TAKEN')).toBe(true);
      expect(answers.filter((a) => a.status === 409)).toHaveLength(49);
      const info = await call(big.url, 'GET', `/v1/pairing/asks/${askNo}`, { token: asker.token });
      expect(info.body.peerUid).toBe(cs[answers.indexOf(won[0]!)]!.uid);
    } finally {
      await bigWorkers.close();
      await big.close();
    }
  });

  it('a round every candidate refused is over at once: the next round does not wait for the timeout', async () => {
    const app = await createApp(stack.url);
    const cs = await candidates(app, 4);
    const asker = await user(app, 'asker');
    const askNo = (await asker.socket.emitWithAck('pair.ask', {})).data.askNo;
    await until(() => dispatched(cs, askNo, 1).length === 2, 3000, 'round 1');
    const t0 = Date.now();
    for (const c of dispatched(cs, askNo, 1))
      expect((await c.socket.emitWithAck('pair.answer', { askNo, roundNo: 1, pass: false })).data.won).toBe(false);
    await until(() => dispatched(cs, askNo, 2).length === 2, 3000, 'round 2');
    expect(Date.now() - t0).toBeLessThan(ROUND);
    expect(dispatched(cs, askNo, 2).map((u) => u.uid)).toEqual(['c2', 'c3']);
  });

  it('fairness: a candidate gets at most PAIR_OFFER_LIMIT offers per window', async () => {
    const app = await createApp(stack.url);
    const [c] = await candidates(app, 1);
    const askers = [await user(app, 'a1'), await user(app, 'a2'), await user(app, 'a3')];
    const asks: string[] = [];
    for (const a of askers) asks.push((await a.socket.emitWithAck('pair.ask', {})).data.askNo);
    await sleep(300);
    expect(c!.got['pair.dispatch']!.map((m) => m.content.data.ask_no)).toEqual(asks.slice(0, 2));
    expect(await stack.srv.app.services.pairing.offerCount(app.appid, c!.uid)).toBe(2);
  });

  it('filters: language, gender and tags from the profile', async () => {
    const app = await createApp(stack.url);
    const en = await user(app, 'en1', { language: 'en', gender: 'f', tags: ['music'] }, true);
    const fr = await user(app, 'fr1', { language: 'fr', gender: 'f', tags: ['music'] }, true);
    const en2 = await user(app, 'en2', { language: 'en', gender: 'm', tags: ['sport', 'music'] }, true);
    const asker = await user(app, 'asker');
    const askNo = (await asker.socket.emitWithAck('pair.ask', { filters: { language: 'en', tags: ['sport'] } })).data.askNo;
    await until(() => dispatched([en, fr, en2], askNo).length >= 1, 3000, 'round 1');
    await sleep(100);
    expect(dispatched([en, fr, en2], askNo).map((u) => u.uid)).toEqual(['en2']);
  });

  it('scene 0 offers the given peer; an unavailable peer gets nothing; the last socket closing ends availability', async () => {
    const app = await createApp(stack.url);
    const peer = await user(app, 'peer', {}, true);
    const asker = await user(app, 'asker');
    expect((await asker.socket.emitWithAck('pair.ask', { scene: 0 })).error.code).toBe('VALIDATION_FAILED');
    // Listening before the ask: the worker's dispatch could otherwise arrive in the same read as the ack, before a listener.
    const offered = nextEvent(peer.socket, 'pair.dispatch');
    const askNo = (await asker.socket.emitWithAck('pair.ask', { scene: 0, peerUid: 'peer' })).data.askNo;
    const m = await offered;
    expect(m.content.extra).toEqual({ ask_no: askNo, round_no: 1, scene: 0 });
    expect((await asker.socket.emitWithAck('pair.ask', {})).error.code).toBe('PAIR_BUSY');
    await asker.socket.emitWithAck('pair.cancel', { askNo });

    peer.socket.close();
    await until(async () => !(await stack.srv.app.services.pairing.isAvailable(app.appid, 'peer')), 3000, 'peer unavailable');
    expect(await stack.srv.app.services.pairing.isAvailable(app.appid, 'peer')).toBe(false);
  });

  it('1003: the ask and the check refuse a balance that cannot pay the minimum call', async () => {
    const app = await createApp(stack.url);
    const poor = await user(app, 'poor');
    await priced(app, 100, { poor: 50 });
    const r = await poor.socket.emitWithAck('pair.ask', {});
    expect(r.error.code).toBe('INSUFFICIENT_BALANCE');
    expect((await call(stack.url, 'POST', '/v1/pairing/check', { token: poor.token })).body.error.code).toBe('INSUFFICIENT_BALANCE');
    await priced(app, 100, { poor: 50 }); // same ref: nothing changes
    await call(stack.url, 'POST', '/v1/billing/topups', { basic: [app.appid, app.secret], body: { uid: 'poor', amount: 50, ref: 'more' } });
    expect((await call(stack.url, 'POST', '/v1/pairing/check', { token: poor.token })).body).toEqual({ balance: 100, minimum: 100 });
    expect((await poor.socket.emitWithAck('pair.ask', {})).ok).toBe(true);
  });

  it('validation names the field', async () => {
    const app = await createApp(stack.url);
    const u = await user(app, 'v');
    const r = await u.socket.emitWithAck('pair.answer', { askNo: '1', roundNo: 0, pass: true });
    expect(r.error.code).toBe('VALIDATION_FAILED');
    expect(r.error.message).toContain('roundNo');
    const h = await call(stack.url, 'POST', '/v1/pairing/history/delete', { token: u.token, body: { askNo: 'x', startAt: 1 } });
    expect(h.status).toBe(400);
    expect(h.body.error.message).toContain('askNo');
  });
});

it('REST availability needs an open socket (offers arrive over it, and availability ends with it)', async () => {
  const app = await createApp(stack.url);
  const r = await call(stack.url, 'POST', `/v1/apps/${app.appid}/tokens`, { basic: [app.appid, app.secret], body: { uid: 'rest-only' } });
  const refused = await call(stack.url, 'PUT', '/v1/pairing/availability', { token: r.body.token, body: { available: true } });
  expect([refused.status, refused.body.error.code]).toEqual([409, 'NO_SOCKET']);
  const { socket } = await connect(stack.url, r.body.token);
  const ok = await call(stack.url, 'PUT', '/v1/pairing/availability', { token: r.body.token, body: { available: true } });
  expect(ok.body).toEqual({ uid: 'rest-only', available: true });
  expect((await call(stack.url, 'PUT', '/v1/pairing/availability', { token: r.body.token, body: { available: false } })).body.available).toBe(false);
  socket.close();
});
