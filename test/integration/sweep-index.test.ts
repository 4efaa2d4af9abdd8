// The presence and dispatch sweeps' app indexes (infra/app-index.ts): an app is listed while
// it has something to watch (online agents, request timers), stays listed after a sweep that
// leaves some (the sweep script says so: no second round trip), is retired by the sweep that
// finds none left, and is listed again by its next work. A sweep that misses an app would
// leave agents online forever and requests without their expiry; one that never retires an
// app costs a round trip a period for it. The rooms index has its own test (hot-path.test.ts).
// A sweep that finds no app at all reports a quiet time (the shortest deadline work begun now
// could get, less one interval: its loop sleeps that long, up to the job's period); dispatch
// never does (a request's own maxWaitMs may be shorter than any setting).
// Api node only: the sweeps run here, called directly, so no worker's sweep interleaves.
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { connect, createApp, issueToken, okData, useStack } from '../helpers.js';

const TIMEOUTS = {
  PRESENCE_TIMEOUT_MS: 30_000,
  PRESENCE_GRACE_MS: 12_000,
  PRESENCE_SWEEP_INTERVAL_MS: 1000,
  ROOM_MEMBER_TIMEOUT_MS: 20_000,
  ROOM_SWEEP_INTERVAL_MS: 500,
};
const stack = useStack(TIMEOUTS, { workers: false, app: false });

describe('a sweep that finds no app', () => {
  it('reports how long nothing can fall due: rooms and presence, not dispatch', async () => {
    const { rooms, presence, dispatch } = stack.srv.app.services;
    // Nothing has happened on this server's keys yet: every index is empty.
    expect(await rooms.sweep()).toEqual({ count: 0, quietMs: 19_500 });
    // Presence: the shorter of the timeout and the grace (an agent online now may drop its socket at once).
    expect(await presence.sweep()).toEqual({ count: 0, quietMs: 11_000 });
    expect(await dispatch.sweep()).toEqual({ count: 0 });
  });
});

async function user(app: { appid: string; secret: string }, uid: string): Promise<Socket> {
  const { socket } = await connect(stack.url, await issueToken(stack.url, app, uid));
  return stack.track(socket);
}

const listed = async (feature: 'presence' | 'dispatch', appid: string) =>
  (await stack.srv.app.core.redis.sismember(stack.srv.app.core.keys.global(feature, 'apps'), appid)) === 1;

describe("the presence sweep's app index", () => {
  it('keeps an app with online agents, retires it with the last one gone, lists it again at the next', async () => {
    const app = await createApp(stack.url);
    const { presence } = stack.srv.app.services;
    const a = await user(app, 'si-agent');
    okData(await a.emitWithAck('presence.set', { state: 'online', skills: ['SI>EN'] }));
    expect(await listed('presence', app.appid)).toBe(true);

    expect(await presence.sweep()).toEqual({ count: 0 }); // the deadline is not due; an app to watch: no quiet time
    expect(await listed('presence', app.appid)).toBe(true);

    okData(await a.emitWithAck('presence.set', { state: 'offline' }));
    await presence.sweep(); // nobody left to watch
    expect(await listed('presence', app.appid)).toBe(false);

    okData(await a.emitWithAck('presence.set', { state: 'online', skills: ['SI>EN'] }));
    expect(await listed('presence', app.appid)).toBe(true);
    // The sweep that takes the last agent offline (its deadline passed) retires the app too.
    expect(await presence.sweep(Date.now() + 24 * 3600_000)).toEqual({ count: 1 });
    expect(await listed('presence', app.appid)).toBe(false);
    expect(okData(await a.emitWithAck('presence.heartbeat', {}))).toEqual({ state: 'offline' });
  });
});

describe("the dispatch sweep's app index", () => {
  it('keeps an app with request timers, retires it once they are gone, lists it again at the next request', async () => {
    const app = await createApp(stack.url);
    const { dispatch } = stack.srv.app.services;
    const caller = await user(app, 'si-caller');
    const first = okData(await caller.emitWithAck('dispatch.request', { skill: 'SI>DE' })) as { requestId: string };
    expect(await listed('dispatch', app.appid)).toBe(true);

    expect(await dispatch.sweep()).toEqual({ count: 0 }); // the timer is not due
    expect(await listed('dispatch', app.appid)).toBe(true);
    // A due timer is claimed and moved a lease on: the app keeps it, and stays.
    expect(await dispatch.sweep(Date.now() + 24 * 3600_000)).toEqual({ count: 1 });
    expect(await listed('dispatch', app.appid)).toBe(true);

    okData(await caller.emitWithAck('dispatch.cancel', { requestId: first.requestId }));
    await dispatch.sweep();
    expect(await listed('dispatch', app.appid)).toBe(false);

    okData(await caller.emitWithAck('dispatch.request', { skill: 'SI>DE' }));
    expect(await listed('dispatch', app.appid)).toBe(true);
  });
});
