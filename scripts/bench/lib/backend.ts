// The Redis a benchmark runs on: one throwaway redis-server, or a throwaway Redis Cluster
// (scripts/setup.mjs), with what a bench reads of it: the env that points Switchboard at it,
// its redis-server pids (pinning), and per-node samples of INFO commandstats and CPU.
import { Redis } from 'ioredis';
import { startCluster, startRedis, type ThrowawayCluster } from './harness.js';
import { commandStats, infoCpuSeconds } from './stats.js';

export type BackendKind = 'single' | 'cluster';

/** One node's counters at one moment. */
export interface NodeSample {
  port: number;
  role: 'master' | 'replica';
  /** INFO commandstats: calls per command (commands run inside scripts included). */
  calls: Map<string, number>;
  /** used_cpu_sys + used_cpu_user, seconds. */
  cpu: number;
}

/** One node's activity between two samples. */
export interface NodeDelta {
  port: number;
  role: 'master' | 'replica';
  /** Calls of every command but INFO (the samples' own, and ioredis' ready checks). */
  commands: number;
  byCommand: Map<string, number>;
  cpu: number;
}

export interface Backend {
  kind: BackendKind;
  /** For tables: "single redis-server", "cluster 3 masters + 3 replicas". */
  label: string;
  /** REDIS_URL or REDIS_CLUSTER_NODES, for the Switchboard processes' env. */
  env: Record<string, string>;
  /** The cluster, when kind is cluster. */
  cluster?: ThrowawayCluster;
  /** Pids of the redis-servers still alive. */
  pids(): number[];
  /** Every live node's counters (role as the node reports it now). */
  sample(): Promise<NodeSample[]>;
  stop(): Promise<void>;
}

/** Per node, what happened between samples `a` and `b` (nodes missing from either are left out). */
export function sampleDelta(a: NodeSample[], b: NodeSample[]): NodeDelta[] {
  return b.flatMap((nb) => {
    const na = a.find((n) => n.port === nb.port);
    if (!na) return [];
    const byCommand = new Map<string, number>();
    for (const [cmd, n] of nb.calls) {
      const d = n - (na.calls.get(cmd) ?? 0);
      if (d > 0 && cmd !== 'info') byCommand.set(cmd, d);
    }
    return [{ port: nb.port, role: nb.role, commands: [...byCommand.values()].reduce((x, y) => x + y, 0), byCommand, cpu: nb.cpu - na.cpu }];
  });
}

/**
 * Starts the backend. A cluster has `masters` masters with `replicasPerMaster` replicas each
 * and cluster-node-timeout `nodeTimeoutMs`.
 */
export async function startBackend(
  kind: BackendKind,
  opts: { masters?: number; replicasPerMaster?: number; nodeTimeoutMs?: number } = {},
): Promise<Backend> {
  // One plain connection per node for INFO, opened on first use; a dead node's is dropped.
  const probes = new Map<number, Redis>();
  const probe = (port: number) => {
    let r = probes.get(port);
    if (!r) {
      r = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null, connectionName: 'bench:probe' });
      r.on('error', () => undefined);
      probes.set(port, r);
    }
    return r;
  };
  const sampleOf = async (port: number): Promise<NodeSample> => {
    const info = String(await probe(port).call('INFO', 'cpu', 'commandstats', 'replication'));
    return { port, role: /^role:slave/m.test(info) ? 'replica' : 'master', calls: commandStats(info), cpu: infoCpuSeconds(info) };
  };
  const closeProbes = () => {
    for (const r of probes.values()) r.disconnect();
    probes.clear();
  };

  if (kind === 'single') {
    const redis = await startRedis();
    const port = Number(new URL(redis.url).port);
    return {
      kind,
      label: 'single redis-server',
      env: { REDIS_URL: redis.url },
      pids: () => [redis.pid],
      sample: async () => [await sampleOf(port)],
      stop: async () => {
        closeProbes();
        await redis.stop();
      },
    };
  }
  const masters = opts.masters ?? 3;
  const replicas = opts.replicasPerMaster ?? 1;
  const cluster = await startCluster({ masters, replicasPerMaster: replicas, nodeTimeoutMs: opts.nodeTimeoutMs ?? 2000 });
  return {
    kind,
    label: `cluster ${masters} masters + ${masters * replicas} replicas`,
    env: { REDIS_CLUSTER_NODES: cluster.seeds },
    cluster,
    pids: () => cluster.nodes.filter((n) => n.alive).map((n) => n.pid),
    sample: () => Promise.all(cluster.nodes.filter((n) => n.alive).map((n) => sampleOf(n.port))),
    stop: async () => {
      closeProbes();
      await cluster.stop();
    },
  };
}
