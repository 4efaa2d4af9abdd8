// `npm run cluster` as a developer runs it: a private 3-master 3-replica Redis Cluster,
// two api nodes and two workers on it; a socket on api 2 gets a notify sent through api 1
// (cross-node, over the cluster); Ctrl-C stops everything, the cluster's nodes included.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { call, connect, nextEvent } from '../helpers.js';
import { ensureBuild, freePort, run } from './processes.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sb-cluster-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Two consecutive free ports (api 1 and api 2). */
async function twoFreePorts(): Promise<number> {
  for (;;) {
    const p = await freePort();
    const next = await freePort();
    if (next === p + 1) return p;
    const free = await new Promise<boolean>((resolve) => {
      const s = tcp(p + 1, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    if (free) return p;
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = tcp(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

it('starts two api nodes and two workers on a private cluster, and Ctrl-C stops all of it', async () => {
  ensureBuild();
  const port = await twoFreePorts();
  const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: '', ADMIN_TOKEN: '', PASSWORD_SCRYPT_N: '1024' };
  const p = run(['scripts/cluster.mjs'], env, { group: true });
  const nodePorts: number[] = [];
  try {
    await p.waitFor('Bootstrap credentials', 90_000);
    // Two api nodes and two workers say they are up.
    await expect.poll(() => p.output().split('api listening').length - 1, { timeout: 60_000, interval: 200 }).toBe(2);
    await expect.poll(() => p.output().split('workers running').length - 1, { timeout: 60_000, interval: 200 }).toBe(2);
    const out = p.output();
    const seeds = /Redis Cluster \(REDIS_CLUSTER_NODES\): (\S+)/.exec(out)?.[1] ?? '';
    nodePorts.push(...seeds.split(',').map((s) => Number(s.split(':')[1])));
    expect(nodePorts).toHaveLength(6);
    // Three masters, each with its slot range (a replica may be listed a moment after its
    // master: the node asked may not have heard of it yet).
    expect(out.match(/slots \d+-\d+ +master 127\.0\.0\.1:\d+/g)).toHaveLength(3);
    const appid = /appid {8}(\S+)/.exec(out)?.[1] ?? '';
    const secret = /app secret {3}(\S+)/.exec(out)?.[1] ?? '';
    const [api1, api2] = [`http://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`];
    for (const base of [api1, api2]) expect((await call(base, 'GET', '/readyz')).status).toBe(200);

    const session = await call(api1, 'POST', `/v1/apps/${appid}/tokens`, { basic: [appid, secret], body: { uid: 'cluster-user' } });
    expect(session.status).toBe(200);
    const { socket, snapshot } = await connect(api2, session.body.token);
    expect(snapshot.user.id).toBe('cluster-user');
    const got = nextEvent(socket, 'over.the.cluster');
    expect(
      (await call(api1, 'POST', '/v1/notify', { basic: [appid, secret], body: { to: { user: 'cluster-user' }, event: 'over.the.cluster', data: 1 } }))
        .status,
    ).toBe(202);
    expect(await got).toBe(1);
    socket.close();
  } finally {
    expect(await p.stop('SIGINT')).toBe(0);
  }
  expect(p.output()).toContain('Redis Cluster stopped');
  for (const nodePort of nodePorts) expect(await listening(nodePort), `node ${nodePort} still listening`).toBe(false);
}, 240_000);
