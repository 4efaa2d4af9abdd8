// First accept wins: a request offered to 100 agents at once, all of them accepting at the
// same moment over their own sockets — exactly one wins, the 99 others get ALREADY_TAKEN.
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { call, connect, issueToken, until, useStack } from '../helpers.js';

const N = 100;
const stack = useStack({ DISPATCH_FIRST_OFFERS: N, DISPATCH_ROUND_MS: 30_000, DISPATCH_MAX_WAIT_MS: 60_000 });

async function socketOf(uid: string): Promise<Socket> {
  const { socket } = await connect(stack.url, await issueToken(stack.url, stack.app, uid));
  stack.track(socket);
  return socket;
}

describe('first accept wins', () => {
  it(`${N} simultaneous accepts: exactly one wins, the rest get ALREADY_TAKEN`, async () => {
    const agents = await Promise.all(Array.from({ length: N }, (_, i) => socketOf(`race-${i}`)));
    await Promise.all(agents.map((s) => s.emitWithAck('presence.set', { state: 'online', skills: ['RC<>EN'] })));
    const offered = agents.map((s) => new Promise<string>((resolve) => s.once('dispatch.offer', (o: { requestId: string }) => resolve(o.requestId))));
    const taken: Array<{ requestId: string; by: string }> = [];
    for (const s of agents) s.on('dispatch.taken', (t) => taken.push(t));
    const caller = await socketOf('race-caller');
    const accepted = new Promise((resolve) => caller.once('dispatch.accepted', resolve));

    const id = (await caller.emitWithAck('dispatch.request', { skill: 'RC>EN' })).data.requestId as string;
    expect(new Set(await Promise.all(offered))).toEqual(new Set([id]));

    const results = await Promise.all(agents.map((s) => s.emitWithAck('dispatch.accept', { requestId: id })));
    const wins = results.filter((r) => r.ok);
    const losses = results.filter((r) => !r.ok);
    expect(wins).toHaveLength(1);
    expect(losses).toHaveLength(N - 1);
    for (const l of losses) expect(l.error).toEqual({ code: 'ALREADY_TAKEN', message: `request ${id} was already accepted by another agent` });
    const winner = wins[0].data.agent as string;
    expect(await accepted).toEqual({ requestId: id, agent: winner });

    // The others hear it and are idle again at once; the winner is busy.
    await until(() => taken.length >= N - 1, 5000, `${N - 1} dispatch.taken`);
    expect(taken).toHaveLength(N - 1);
    expect(taken.every((t) => t.requestId === id && t.by === winner)).toBe(true);
    const states = await Promise.all(agents.map((s) => s.emitWithAck('presence.get', {})));
    expect(states.filter((s) => s.data.state === 'busy').map((s) => s.data.uid)).toEqual([winner]);
    expect(states.filter((s) => s.data.state === 'online')).toHaveLength(N - 1);
    const idle = await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/agents?skill=${encodeURIComponent('RC>EN')}&limit=500`, {
      basic: [stack.app.appid, stack.app.secret],
    });
    expect(idle.body.agents).toHaveLength(N - 1);
    expect(idle.body.agents).not.toContain(winner);
  });
});
