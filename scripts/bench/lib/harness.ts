// Shared benchmark plumbing: a throwaway redis-server, server child processes, CPU
// pinning, and a bounded-concurrency helper. Everything runs on loopback.
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// scripts/setup.mjs is plain JS that tsc does not copy to dist/: load it from the project
// root (npm run bench runs with the root as working directory).
const setup = (await import(pathToFileURL(join(process.cwd(), 'scripts', 'setup.mjs')).href)) as typeof import('../../setup.mjs');
export const freePort = setup.freePort;
export const startRedis = setup.startThrowawayRedis;
export const ensureChromium = setup.ensureChromium;
export const startCluster = setup.startThrowawayCluster;
export const keySlot = setup.keySlot;
export type ThrowawayCluster = import('../../setup.mjs').ThrowawayCluster;

/** Options of startServerProc / startWorkerProc. */
export interface ProcOptions {
  /**
   * Every line the process writes (stdout and stderr: its pino log lines) goes here instead
   * of the terminal (server) or nowhere (worker): to count warnings, say.
   */
  onOutput?: (line: string) => void;
}

/** Calls `fn` with each complete line of `stream`. */
function eachLine(stream: NodeJS.ReadableStream, fn: (line: string) => void): void {
  let rest = '';
  stream.on('data', (d: Buffer) => {
    const lines = (rest + d.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line) fn(line);
  });
}

export interface ServerProc {
  url: string;
  pid: number;
  stats(): Promise<{ heapUsed: number; rss: number; external: number }>;
  /** Socket writes to Redis so far (switchboard mode with BENCH_COUNT_REDIS=1): commands, and the socket adapter's stream reads apart. */
  redisWrites(): Promise<{ commands: number; streamReads: number }>;
  stop(): Promise<void>;
  /** SIGKILL, then waits for the exit: no graceful close (thousands of sockets' disconnect work) when the figures are taken. */
  kill(): Promise<void>;
}

/**
 * The Node flags `npm start` runs the api with (scripts/start.mjs says why): the bench measures the api as it runs.
 * BENCH_API_NODE_FLAGS="<flags>" adds flags to Switchboard's api for an experiment (`--trace-gc`, another
 * `--max-semi-space-size`: the last one wins); Node refuses most V8 flags in NODE_OPTIONS.
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=64', ...(process.env.BENCH_API_NODE_FLAGS ?? '').split(' ').filter(Boolean)];

/**
 * Forks scripts/bench/server.js in `mode` (switchboard, bare), or for `colyseus`
 * scripts/bench/peers/colyseus-server.js, with `env`; resolves once it listens.
 */
/** BENCH_CPU_PROF=<dir>: each server and worker process writes a V8 CPU profile there when it ends (servers also on kill()). */
const cpuProfileFlags = () => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);

/** What a bench server process runs: server.ts modes, and the Colyseus peer. */
export type ServerMode = 'switchboard' | 'bare' | 'colyseus' | 'ws' | 'engine' | 'engine-trimmed' | 'bare-tuned' | 'bare-trimmed';

export async function startServerProc(mode: ServerMode, env: Record<string, string>, opts: ProcOptions = {}): Promise<ServerProc> {
  const script = mode === 'colyseus' ? join(here, '..', 'peers', 'colyseus-server.js') : join(here, '..', 'server.js');
  const profile = cpuProfileFlags();
  const execArgv = ['--expose-gc', ...(mode === 'switchboard' ? API_NODE_FLAGS : []), ...profile];
  const out = opts.onOutput ? 'pipe' : 'inherit';
  const child: ChildProcess = fork(script, [mode], { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', out, out, 'ipc'] });
  if (opts.onOutput) for (const s of [child.stdout!, child.stderr!]) eachLine(s, opts.onOutput);
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { ready?: string }) => (m.ready ? resolve(m.ready) : reject(new Error('unexpected message'))));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  /** Sends `cmd` (the child then exits), SIGKILL after 15 s; resolves at the exit. */
  const askToExit = async (cmd: 'stop' | 'exit') => {
    const exited = new Promise((r) => child.once('exit', r));
    child.send({ cmd });
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  };
  return {
    url,
    pid: child.pid!,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m: { stats: { heapUsed: number; rss: number; external: number } }) => resolve(m.stats));
        child.send({ cmd: 'stats' });
      }),
    redisWrites: () =>
      new Promise((resolve) => {
        child.once('message', (m: { redisWrites: { commands: number; streamReads: number } }) => resolve(m.redisWrites));
        child.send({ cmd: 'redisWrites' });
      }),
    stop: () => (child.exitCode !== null ? Promise.resolve() : askToExit('stop')),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // process.exit() writes the profile (SIGKILL would not), still without the graceful close.
      if (profile.length) return askToExit('exit');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface WorkerProc {
  pid: number;
  /** SIGTERM, then waits for the exit (at once when it already exited). */
  stop(): Promise<void>;
}

/**
 * Spawns dist/workers/main.js with `env` (LOG_LEVEL info); resolves once it logs "workers
 * running", rejects when it exits before. Its stdout listener stays: it drains the pipe.
 */
export async function startWorkerProc(env: Record<string, string>, opts: ProcOptions = {}): Promise<WorkerProc> {
  const child = spawn(process.execPath, [...cpuProfileFlags(), join(process.cwd(), 'dist', 'workers', 'main.js')], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', opts.onOutput ? 'pipe' : 'inherit'],
  });
  if (opts.onOutput) for (const s of [child.stdout!, child.stderr!]) eachLine(s, opts.onOutput);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('workers running') && resolve());
    child.once('exit', (code, signal) => reject(new Error(`worker exited with ${code ?? signal} before it was running`)));
  });
  return {
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A new app (POST /v1/apps with the admin token), its Basic credentials and a token issuer for its users. */
export async function createBenchApp(url: string, adminToken: string) {
  const { appid, secret } = await json<{ appid: string; secret: string }>(`${url}/v1/apps`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}` },
    body: '{}',
  });
  const basic = `Basic ${Buffer.from(`${appid}:${secret}`).toString('base64')}`;
  const token = async (uid: string, extra: Record<string, unknown> = {}) =>
    (
      await json<{ token: string }>(`${url}/v1/apps/${appid}/tokens`, {
        method: 'POST',
        headers: { authorization: basic },
        body: JSON.stringify({ uid, ...extra }),
      })
    ).token;
  return { appid, secret, basic, token };
}

/**
 * Pins every thread of process `pid` to CPU `core` (util-linux `taskset -a -p -c`); threads
 * it starts later inherit that. Throws unless all its threads then allow `core` only.
 */
export function pin(pid: number, core: number): void {
  const r = spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`taskset -a -p -c ${core} ${pid} failed: ${r.error?.message ?? r.stderr}`);
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const allowed = /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1];
    if (allowed !== String(core)) throw new Error(`thread ${tid} of ${pid} still allows CPUs ${allowed}`);
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends `total` items at `rate` per second: every `tickMs` it calls send(from, to) with the
 * sequence numbers due by then (awaited, so a slow send delays the next tick instead of
 * piling up). Resolves to the seconds the sending took.
 */
export async function paced(rate: number, total: number, send: (from: number, to: number) => unknown, tickMs = 5): Promise<number> {
  let sent = 0;
  const start = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    if (due > sent) {
      await send(sent, due);
      sent = due;
    }
    await sleep(tickMs);
  }
  return (performance.now() - start) / 1000;
}

/** The JSON answer of a 2xx, typed as the caller says (not validated), else throws with the status and body. */
export async function json<T = unknown>(url: string, init: RequestInit & { body?: string } = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return body as T;
}
