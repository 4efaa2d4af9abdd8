// Dispatch options used by customer service: offer-to-all (every idle agent of the skill in
// each round, first accept still wins), a per-request maximum wait, widenNow (an agent that
// comes online gets the waiting offer-to-all requests at once), offeredTo. Ordinary
// requests keep their round sizes (DISPATCH_FIRST_OFFERS).
import { describe, expect, it } from 'vitest';
import { collect, connect, issueToken, nextEvent, sleep, until, useStack } from '../helpers.js';

const stack = useStack({ DISPATCH_FIRST_OFFERS: 1, DISPATCH_WIDEN_BY: 1, DISPATCH_ROUND_MS: 120000, DISPATCH_MAX_WAIT_MS: 600000 });

async function user(uid: string) {
  const { socket } = await connect(stack.url, await issueToken(stack.url, stack.app, uid));
  stack.track(socket);
  return { uid, socket, offers: collect(socket, 'dispatch.offer') };
}

async function agent(uid: string, skill: string) {
  const u = await user(uid);
  expect((await u.socket.emitWithAck('presence.set', { state: 'online', skills: [skill] })).ok).toBe(true);
  return u;
}

describe('dispatch offer-to-all', () => {
  it('offers to every idle agent at once; an ordinary request still offers DISPATCH_FIRST_OFFERS; first accept wins', async () => {
    const agents: Array<Awaited<ReturnType<typeof agent>>> = [];
    for (let i = 0; i < 4; i++) agents.push(await agent(`all-${i}`, 'help'));
    const caller = await user('caller-1');
    const { dispatch } = stack.srv.app.services;

    const plain = await dispatch.create(stack.app.appid, caller.uid, { skill: 'help' });
    await until(() => agents.some((a) => a.offers.some((o) => o.requestId === plain.requestId)), 5000, 'the ordinary offer');
    await sleep(100);
    expect(agents.filter((a) => a.offers.some((o) => o.requestId === plain.requestId))).toHaveLength(1);
    expect(await dispatch.offeredTo(stack.app.appid, plain.requestId)).toHaveLength(1);
    await dispatch.cancel(stack.app.appid, plain.requestId, caller.uid);

    const all = await dispatch.create(stack.app.appid, caller.uid, { skill: 'help', data: { text: 'hi' } }, { offerAll: true });
    await until(() => agents.every((a) => a.offers.some((o) => o.requestId === all.requestId)), 5000, 'the offer at every agent');
    expect((await dispatch.offeredTo(stack.app.appid, all.requestId)).sort()).toEqual(agents.map((a) => a.uid).sort());
    const taken = agents.map((a) => collect(a.socket, 'dispatch.taken'));
    const answers = await Promise.all(agents.map((a) => a.socket.emitWithAck('dispatch.accept', { requestId: all.requestId })));
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok).map((a) => a.error.code)).toEqual(['ALREADY_TAKEN', 'ALREADY_TAKEN', 'ALREADY_TAKEN']);
    const w = answers.findIndex((a) => a.ok);
    const winner = agents[w]!.uid;
    // Every other offered agent hears who took it, exactly once; the winner hears nothing.
    const losers = taken.filter((_, i) => i !== w);
    await until(() => losers.every((t) => t.length > 0), 5000, 'dispatch.taken at every loser');
    for (const t of losers) expect(t).toMatchObject([{ requestId: all.requestId, by: winner }]);
    expect(taken[w]).toEqual([]);
    expect(await dispatch.offeredTo(stack.app.appid, all.requestId)).toEqual([]);
  });

  it('widenNow: an agent coming online gets the waiting offer-to-all request before its next round', async () => {
    const first = await agent('early-1', 'late');
    const caller = await user('caller-2');
    const { dispatch } = stack.srv.app.services;
    const req = await dispatch.create(stack.app.appid, caller.uid, { skill: 'late' }, { offerAll: true });
    await until(() => first.offers.some((o) => o.requestId === req.requestId), 5000, 'the first offer');
    const second = await agent('late-1', 'late');
    await sleep(200);
    expect(second.offers).toEqual([]); // the next round is 120 s away
    await dispatch.widenNow(stack.app.appid, 'late');
    await until(() => second.offers.some((o) => o.requestId === req.requestId), 5000, 'the offer after widenNow');
    expect(second.offers[0]?.round).toBe(2);
  });

  it('maxWaitMs replaces DISPATCH_MAX_WAIT_MS for one request', async () => {
    const caller = await user('caller-3');
    const before = Date.now();
    const req = await stack.srv.app.services.dispatch.create(stack.app.appid, caller.uid, { skill: 'nobody-here' }, { maxWaitMs: 700 });
    expect(req.expiresAt - req.createdAt).toBe(700);
    const expired = await nextEvent(caller.socket, 'dispatch.expired', 10000);
    expect(expired).toEqual({ requestId: req.requestId, skill: 'nobody-here' });
    expect(Date.now() - before).toBeGreaterThanOrEqual(700);
  });
});
