export const root: string;
export function say(msg: string): void;
export function ensureDependencies(): void;
export function ensureBuild(opts?: { force?: boolean }): void;
export function ensureRedisServer(): string;
export function ensureChromium(): string;
export function startPrivateRedis(opts: {
  dataDir: string;
  port: number;
}): Promise<{ url: string; child: import('node:child_process').ChildProcess; stop(): Promise<void> }>;
export function freePort(): Promise<number>;
export function startThrowawayRedis(): Promise<{ url: string; pid: number; stop(): Promise<void> }>;
/** The cluster hash slot of a key (honours {hash tags}), as CLUSTER KEYSLOT computes it. */
export function keySlot(key: string): number;
export interface ThrowawayClusterNode {
  port: number;
  pid: number;
  /** As last seen (updated by waitHealthy, e.g. a replica promoted by a failover). */
  role: 'master' | 'replica';
  /** False once kill(port) or stop() ended it. */
  alive: boolean;
}
export interface ThrowawayCluster {
  /** host:port of every node, comma-separated (for REDIS_CLUSTER_NODES). */
  seeds: string;
  nodes: ThrowawayClusterNode[];
  /** Directory holding one folder per node (PORT/: nodes-PORT.conf, redis.log). */
  dir: string;
  /** The slot ranges as a live node sees them, with their master's and replicas' ports. */
  slots(): Promise<Array<{ start: number; end: number; master: number; replicas: number[] }>>;
  /** Port of the master that serves a slot, or the slot of a key. */
  masterOf(slotOrKey: number | string): Promise<number>;
  /** SIGKILLs the node on that port (and its forked children); resolves once it is gone. */
  kill(port: number): Promise<void>;
  /**
   * Resolves once every live node reports cluster_state:ok, agrees with the others on which
   * master serves which slots, and (as a replica of a live master) has its link up: after a
   * failover, say. Rejects after timeoutMs (default 30 s).
   */
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** Kills every node and removes their directories. */
  stop(): Promise<void>;
}
export function startThrowawayCluster(opts?: {
  masters?: number;
  replicasPerMaster?: number;
  nodeTimeoutMs?: number;
  dir?: string;
}): Promise<ThrowawayCluster>;
