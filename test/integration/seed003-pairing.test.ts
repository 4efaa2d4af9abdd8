// Seed 003 conformance, pairing part: replays the seed's video/* requests on the wire as
// documented — POST /api/v1/…, `param` as the JSON body, answers {code, data, err, time} —
// with real workers delivering the RC:CmdMsg dispatch over the socket.
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { call, connect, issueToken, nextEvent, type JsonBody, useStack } from '../helpers.js';

const stack = useStack({ PAIR_CANDIDATES_PER_ROUND: 3, PAIR_ROUND_MS: 2000, PAIR_MAX_ROUNDS: 2 });

async function user(uid: string): Promise<{ token: string; socket: Socket }> {
  const token = await issueToken(stack.url, stack.app, uid);
  const { socket } = await connect(stack.url, token);
  stack.track(socket);
  return { token, socket };
}

/** The seed's request: POST path with `param` as the body; asserts the envelope. */
async function seed(path: string, token: string | undefined, param: unknown) {
  const r = await call(stack.url, 'POST', path, { ...(token ? { token } : {}), body: param === null ? 'null' : param });
  expect(r.status).toBe(200);
  expect(Object.keys(r.body).sort()).toEqual(['code', 'data', 'err', 'time']);
  expect(Math.abs(r.body.time - Date.now() / 1000)).toBeLessThan(5);
  return r.body as { code: number; data: JsonBody; err: string | null; time: number };
}

describe('seed 003 pairing dialect', () => {
  it('video/before/check, pair/ask, answer, confirm, info, cancel, delPairRecord as documented', async () => {
    const asker = await user('11');
    const peer = await user('12');
    expect((await peer.socket.emitWithAck('pair.available', { available: true })).ok).toBe(true);
    await call(stack.url, 'PUT', '/v1/billing/prices/video', {
      basic: [stack.app.appid, stack.app.secret],
      body: { unitPrice: 10, unitSeconds: 60 },
    });

    // 视频拨打事前校验: 1003 余额不足, then 0 once topped up
    const poor = await seed('/api/v1/video/before/check', asker.token, {});
    expect(poor).toMatchObject({ code: 1003, data: null });
    expect((await seed('/api/v1/video/pair/ask', asker.token, null)).code).toBe(1003);
    await call(stack.url, 'POST', '/v1/billing/topups', { basic: [stack.app.appid, stack.app.secret], body: { uid: '11', amount: 1000, ref: 'r1' } });
    expect(await seed('/api/v1/video/before/check', asker.token, {})).toMatchObject({ code: 0, data: null, err: null });

    // 匹配发起 (param: null) → data.ask_no; the candidate gets the long-link RC:CmdMsg
    const dispatch = nextEvent(peer.socket, 'pair.dispatch');
    const ask = await seed('/api/v1/video/pair/ask', asker.token, null);
    expect(ask).toMatchObject({ code: 0, err: null, data: { ask_no: expect.any(String) } });
    const askNo: string = ask.data.ask_no;
    expect(await dispatch).toEqual({
      objectName: 'RC:CmdMsg',
      content: { name: 'dispatch', data: { ask_no: askNo, ask_uid: 11, round_no: 1 }, extra: { ask_no: askNo, round_no: 1, scene: 1 } },
    });
    expect((await seed('/api/v1/video/pair/info', asker.token, { ask_no: askNo })).data).toEqual({
      status: 0,
      ask_no: askNo,
      ask_uid: 11,
      call_id: '',
      peer_uid: 0,
    });

    // 匹配应答
    const answered = nextEvent(asker.socket, 'pair.answered');
    expect(await seed('/api/v1/video/pair/answer', peer.token, { ask_no: askNo, round_no: 1, pass: true })).toMatchObject({ code: 0, data: null });
    expect((await answered).peerUid).toBe('12');
    expect((await seed('/api/v1/video/pair/answer', asker.token, { ask_no: askNo, round_no: 1, pass: true })).code).toBe(1006); // not offered to the asker

    // 匹配发起方确认 (peer_uid int, call_id)
    const matched = nextEvent(peer.socket, 'pair.matched');
    expect(
      await seed('/api/v1/video/pair/confirm', asker.token, { ask_no: askNo, pass: true, round_no: 1, peer_uid: 12, call_id: 'rc-call-1' }),
    ).toMatchObject({ code: 0, data: null });
    expect(await matched).toEqual({ askNo, askUid: '11', peerUid: '12', callId: 'rc-call-1' });

    // 匹配状态查询: 2 通话中
    const info = await seed('/api/v1/video/pair/info', peer.token, { ask_no: askNo });
    expect(info).toMatchObject({ code: 0, err: null, data: { status: 2, ask_no: askNo, ask_uid: 11, call_id: 'rc-call-1', peer_uid: 12 } });

    // 匹配发起方取消 → 1 结束, the metered call ends too
    expect((await seed('/api/v1/video/pair/cancel', asker.token, { ask_no: askNo })).code).toBe(0);
    expect((await seed('/api/v1/video/pair/info', asker.token, { ask_no: askNo })).data.status).toBe(1);
    expect((await call(stack.url, 'GET', '/v1/billing/calls/rc-call-1', { token: asker.token })).body.state).not.toBe('active');

    // the history list gives start_at; 客户端删除匹配记录 removes the record with it
    const list = await seed('/api/v1/video/pair/records', asker.token, {});
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({ ask_no: askNo, status: 1, call_id: 'rc-call-1', peer_uid: 12 });
    const startAt = list.data[0].start_at;
    expect((await seed('/api/v1/video/delPairRecord', asker.token, { ask_no: askNo, start_at: startAt + 5 })).code).not.toBe(0);
    expect(await seed('/api/v1/video/delPairRecord', asker.token, { ask_no: askNo, start_at: startAt })).toMatchObject({ code: 0, data: null });
    expect((await seed('/api/v1/video/pair/records', asker.token, {})).data).toEqual([]);
  });

  it('anything but a user token, bad JSON or a missing field gets a non-zero code naming the problem', async () => {
    const u = await user('21');
    expect((await seed('/api/v1/video/pair/ask', undefined, null)).code).not.toBe(0);
    expect((await seed('/api/v1/video/pair/info', 'nope', { ask_no: '1' })).code).not.toBe(0);
    const missing = await seed('/api/v1/video/pair/answer', u.token, { ask_no: '1', pass: true });
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('round_no');
    const bad = await seed('/api/v1/video/pair/cancel', u.token, '{"ask_no":');
    expect(bad.code).not.toBe(0);
    expect((await seed('/api/v1/video/pair/info', u.token, { ask_no: '999999' })).code).not.toBe(0);
  });
});
