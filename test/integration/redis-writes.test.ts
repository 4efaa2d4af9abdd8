// The command connection sends what one turn of the event loop issued in one socket write
// (infra/redis.ts coalesceWrites): a dozen commands cost one system call and one read for
// Redis, not a dozen. Also after a reconnect (a new socket), and on a Cluster for each master.
// Every reply still reaches its own command, in order. Runs in both passes (one Redis, a Cluster).
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandRedis, failFastOptions, isCluster, readyOf, redisTarget, type RedisClient } from '../../src/infra/redis.js';
import { onSocketWrite } from '../../scripts/bench/lib/socket-writes.js';
import { testConfig, until } from '../helpers.js';

const config = testConfig();
const target = redisTarget(config);
let client: RedisClient;

beforeAll(async () => {
  client = createCommandRedis(target, 'test:writes', failFastOptions(target));
  await readyOf(client);
});
afterAll(() => client?.disconnect());

/** The connections the client writes on: itself, or each master of the Cluster it has connected to. */
const connections = (): Redis[] => (isCluster(client) ? client.nodes('master').filter((n) => n.stream) : [client]);

/** Counts the writes that reach each connection's socket from now on: a write of one chunk, or of all a corked socket held. */
function countWrites(): { total(): number } {
  let count = 0;
  for (const node of connections()) onSocketWrite(node.stream, () => count++);
  return { total: () => count };
}

let bursts = 0;

/** Twenty commands issued in one turn, on keys of one slot (on a Cluster: one master); their replies. */
async function burst(): Promise<unknown[]> {
  const run = ++bursts;
  const key = (i: number) => `${config.KEY_PREFIX}:{w}:${run}:k${i}`;
  const sets = Array.from({ length: 10 }, (_, i) => client.set(key(i), `v${i}`));
  const gets = Array.from({ length: 10 }, (_, i) => client.get(key(i)));
  return Promise.all([...sets, ...gets]);
}

describe('command connection writes', () => {
  it('sends the commands of one turn in one socket write, each reply to its command', async () => {
    await burst(); // the Cluster client learns the slots and connects the master first
    const writes = countWrites();
    const replies = await burst();
    expect(replies).toEqual([...Array.from({ length: 10 }, () => 'OK'), ...Array.from({ length: 10 }, (_, i) => `v${i}`)]);
    expect(writes.total()).toBe(1);
  });

  it('commands of separate turns go separately', async () => {
    const writes = countWrites();
    await client.set(`${config.KEY_PREFIX}:{w}:x`, '1');
    await client.get(`${config.KEY_PREFIX}:{w}:x`);
    expect(writes.total()).toBe(2);
  });

  it('a new socket after a reconnect coalesces too', async () => {
    const before = connections().map((n) => n.stream);
    // Drop every connection of this client from Redis' side; ioredis reconnects.
    for (const node of connections()) await node.call('CLIENT', 'KILL', 'SKIPME', 'no', 'ID', String(await node.call('CLIENT', 'ID'))).catch(() => 0);
    await until(
      async () => {
        const now = connections();
        return now.every((n) => n.status === 'ready' && !before.includes(n.stream));
      },
      10_000,
      'reconnected on new sockets',
    );
    await burst();
    const writes = countWrites();
    expect(await burst()).toHaveLength(20);
    expect(writes.total()).toBe(1);
  });
});
