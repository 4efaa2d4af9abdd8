// Set-up steps shared by `npm start`, `npm test` and `npm run bench`.
// Plain Node with built-ins only: it runs before the dependencies exist.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, statSync, readdirSync, readFileSync, mkdirSync, mkdtempSync, rmSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createConnection, createServer } from 'node:net';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function say(msg) {
  process.stderr.write(`[switchboard] ${msg}\n`);
}
export { say };

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

/** Newest modification time of any file below `dir` (recursive). */
function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * `npm install` when node_modules is missing or older than package.json / the lock file.
 * (`npm ci` is not used: the registry here lacks bullmq's optional platform builds and
 * `npm ci` then refuses the lock file; `npm install` keeps the locked versions.)
 */
export function ensureDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const wanted = Math.max(
    statSync(join(root, 'package.json')).mtimeMs,
    existsSync(join(root, 'package-lock.json')) ? statSync(join(root, 'package-lock.json')).mtimeMs : 0,
  );
  if (existsSync(marker) && statSync(marker).mtimeMs >= wanted) return;
  say('installing dependencies (npm install)…');
  run('npm', ['install', '--no-audit', '--no-fund']);
}

/** Compiles TypeScript to dist/ (and the client package to dist/client, scripts/build-client.mjs) when any source (src, workers, scripts, tsconfig.json) is newer than the last build. */
export function ensureBuild({ force = false } = {}) {
  const stamp = join(root, 'dist', '.build-stamp');
  const sources = Math.max(
    newestMtime(join(root, 'src')),
    newestMtime(join(root, 'workers')),
    newestMtime(join(root, 'scripts')),
    statSync(join(root, 'tsconfig.json')).mtimeMs,
  );
  if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= sources) return;
  say('building (tsc, then the client package)…');
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  run(process.execPath, [join(root, 'scripts', 'build-client.mjs')]);
  mkdirSync(join(root, 'dist'), { recursive: true });
  spawnSync('touch', [stamp]);
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function isDebianLike() {
  if (!existsSync('/etc/os-release')) return false;
  const os = readFileSync('/etc/os-release', 'utf8');
  return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(os);
}

/**
 * Path of `cmd`, installing the Debian package that provides it when it is missing on
 * Debian/Ubuntu as root (`apt-get update` once per process). Anywhere else, or when the
 * install does not provide it: null, and the caller says what to install.
 */
function ensureDebianCommand(cmd, pkg) {
  const found = which(cmd);
  if (found) return found;
  if (!canApt()) return null;
  say(`${cmd} not found: installing the Debian package ${pkg} (apt-get)…`);
  aptInstall(pkg);
  return which(cmd);
}

/** Debian/Ubuntu as root: apt-get can install packages. */
function canApt() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isDebianLike() && isRoot;
}

/**
 * `apt-get install` of a Debian package (`apt-get update` once per process). Throws when
 * apt-get fails; bestEffort: silently, ignoring failures.
 */
let aptUpdated = false;
function aptInstall(pkg, { bestEffort = false } = {}) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => (bestEffort ? spawnSync('apt-get', args, { env, stdio: 'ignore' }) : run('apt-get', args, { env }));
  if (!aptUpdated) {
    apt(['update']);
    aptUpdated = true;
  }
  apt(['install', '-y', '--no-install-recommends', pkg]);
}

/**
 * Path of a redis-server binary, installing Debian's `redis-server` package when
 * missing on Debian/Ubuntu as root. Anywhere else: a message saying what to install.
 */
export function ensureRedisServer() {
  const preinstalled = which('redis-server');
  const found = preinstalled ?? ensureDebianCommand('redis-server', 'redis-server');
  // Debian starts a system redis on 6379 after install; we run our own, so stop it.
  if (found && !preinstalled) spawnSync('sh', ['-c', 'service redis-server stop >/dev/null 2>&1 || true']);
  if (found) return found;
  const how = isDebianLike()
    ? 'run as root: apt-get install redis-server'
    : 'install Redis 7 (for example `brew install redis` on macOS, `dnf install redis` on Fedora)';
  throw new Error(`redis-server was not found on PATH. Either ${how}, or set REDIS_URL to an existing Redis (6.2+, maxmemory-policy noeviction).`);
}

/**
 * Path of a Chromium for the browser tests (dashboard, customer-service widgets), driven
 * by playwright-core, which never downloads a browser of its own. CHROMIUM_PATH wins;
 * otherwise Debian's `chromium` package, installed when missing on Debian/Ubuntu as root.
 */
export function ensureChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const found = which('chromium') ?? which('chromium-browser') ?? ensureDebianCommand('chromium', 'chromium');
  if (found) {
    ensureCjkFont();
    return found;
  }
  throw new Error(
    'Chromium was not found on PATH (the browser tests need it). Either run as root on Debian/Ubuntu (`apt-get install chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}

/**
 * Best effort: a Chinese font, so the screenshots of pages with Chinese labels (customer
 * service) are legible rather than boxes. Debian's fonts-wqy-microhei (4 MB) when fontconfig
 * knows no font for zh, on Debian/Ubuntu as root; elsewhere nothing (tests pass without it).
 */
let cjkChecked = false;
function ensureCjkFont() {
  if (cjkChecked || !which('fc-list')) return;
  cjkChecked = true;
  if (spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).stdout.trim()) return;
  if (!canApt()) return;
  say('no Chinese font: installing the Debian package fonts-wqy-microhei (apt-get)…');
  aptInstall('fonts-wqy-microhei', { bestEffort: true });
}

/** Resolves once something accepts TCP connections on host:port (or rejects after timeoutMs). */
function waitForPort(port, host = '127.0.0.1', timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolvePromise, reject) => {
    const attempt = () => {
      const sock = createConnection({ port, host });
      sock.once('connect', () => {
        sock.end();
        resolvePromise();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing answered on ${host}:${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Starts a private redis-server from the top-level redis.conf with its data under `dataDir`.
 * Returns { url, child, stop() }; stop() asks Redis to shut down, which saves the data.
 */
export async function startPrivateRedis({ dataDir, port }) {
  const bin = ensureRedisServer();
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const args = [join(root, 'redis.conf'), '--port', String(port), '--dir', dir, '--pidfile', join(dir, 'redis.pid')];
  // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and
  // Redis must outlive the api and worker while they finish (start.mjs stops it last).
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // …but never outlive start.mjs itself, however it ends.
  process.once('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((r) => child.once('exit', r));
  const ready = waitForPort(port).then(() => 'ready');
  const first = await Promise.race([ready, exited.then(() => 'exited')]);
  if (first === 'exited') {
    throw new Error(
      `the private redis-server could not start on port ${port}:\n${output.trim().split('\n').slice(-5).join('\n')}\n(Another process on that port? Set REDIS_PORT, or REDIS_URL to use an existing Redis.)`,
    );
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      // SIGTERM makes redis-server flush the AOF, write its RDB snapshot and exit.
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A port nothing listens on, for a server started a moment later. Chosen at random below
 * Linux's ephemeral range (32768+): a port the kernel handed out with listen(0) is also
 * what it hands to outgoing connections, so while many tests open Redis and HTTP clients
 * in parallel, such a port could be taken by a client socket before our server binds it.
 */
export async function freePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port found in 20000–31999');
}

function canListen(port) {
  return new Promise((resolvePromise) => {
    const srv = createServer();
    srv.once('error', () => resolvePromise(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolvePromise(true)));
  });
}

/**
 * A throwaway redis-server for tests and benchmarks: free port, loopback, no persistence,
 * noeviction. Resolves to { url, pid, stop() }.
 */
export async function startThrowawayRedis() {
  const bin = ensureRedisServer();
  const port = await freePort();
  const child = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--maxclients', '20000'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  await new Promise((resolvePromise, reject) => {
    const check = setInterval(() => {
      if (out.includes('Ready to accept connections')) {
        clearInterval(check);
        resolvePromise();
      }
    }, 20);
    child.once('exit', () => {
      clearInterval(check);
      reject(new Error(`redis-server exited:\n${out}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

// ---------------------------------------------------------------------------------------
// Throwaway Redis Cluster (tests, `npm run cluster`).

/** One command to the Redis on 127.0.0.1:port over a fresh connection (RESP2); resolves to its reply. */
function redisCommand(port, args, timeoutMs = 2000) {
  return new Promise((resolvePromise, reject) => {
    const sock = createConnection({ port, host: '127.0.0.1' });
    let buf = Buffer.alloc(0);
    const done = (err, value) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolvePromise(value);
    };
    const timer = setTimeout(() => done(new Error(`127.0.0.1:${port} did not answer ${args[0]} within ${timeoutMs} ms`)), timeoutMs);
    sock.once('error', (err) => done(err));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      let parsed;
      try {
        parsed = parseResp(buf, 0);
      } catch (err) {
        return done(err);
      }
      if (parsed) done(parsed.value instanceof Error ? parsed.value : null, parsed.value);
    });
    sock.write(`*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join(''));
  });
}

/** One RESP2 value starting at buf[i]: { value, next }, or null while incomplete. Errors become Error values. */
function parseResp(buf, i) {
  const eol = buf.indexOf('\r\n', i);
  if (eol < 0) return null;
  const line = buf.toString('utf8', i + 1, eol);
  const next = eol + 2;
  switch (String.fromCharCode(buf[i])) {
    case '+':
      return { value: line, next };
    case '-':
      return { value: new Error(line), next };
    case ':':
      return { value: Number(line), next };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, next };
      if (buf.length < next + n + 2) return null;
      return { value: buf.toString('utf8', next, next + n), next: next + n + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, next };
      const items = [];
      let j = next;
      for (let k = 0; k < n; k++) {
        const item = parseResp(buf, j);
        if (!item) return null;
        items.push(item.value);
        j = item.next;
      }
      return { value: items, next: j };
    }
    default:
      throw new Error(`unexpected RESP reply: ${JSON.stringify(buf.toString('utf8', i, Math.min(buf.length, i + 40)))}`);
  }
}

/** "field:value" lines of INFO / CLUSTER INFO as an object. */
function infoFields(text) {
  const fields = {};
  for (const line of String(text).split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}

/**
 * The cluster hash slot of a key, as CLUSTER KEYSLOT computes it: cluster-key-slot, the
 * function ioredis routes by, loaded when first called (this file runs before npm install).
 */
export function keySlot(key) {
  return createRequire(import.meta.url)('cluster-key-slot')(String(key));
}

function redisCli() {
  const found = which('redis-cli') ?? ensureDebianCommand('redis-cli', 'redis-tools');
  if (found) return found;
  throw new Error(
    'redis-cli was not found on PATH (it creates the cluster). Install the Redis command-line tools (Debian: apt-get install redis-tools).',
  );
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Clusters started by this process that are not stopped yet. However this process ends,
 * their redis-servers go with it: on 'exit' they are killed; on SIGINT / SIGTERM / SIGHUP
 * too, when nothing else in the process listens for that signal (otherwise the program
 * shuts down in its own order, e.g. `npm run cluster` stops api and workers first, and
 * 'exit' follows); and when the process dies of SIGKILL or a crash, a watchdog shell
 * (one per cluster) sees its stdin pipe close and kills them.
 */
const liveClusters = new Set();
let exitHooksInstalled = false;
function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const c of liveClusters) c.killNow();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const onSignal = () => {
      if (process.listenerCount(sig) > 1) return; // the program handles it
      for (const c of liveClusters) c.killNow();
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig); // the default action: die of that signal
    };
    process.on(sig, onSignal);
  }
}

/**
 * Kills the pids it was told about ("add PID" / "del PID" lines on stdin) and removes `dir`
 * (when given) once its stdin closes without a "quit" line: when the parent died.
 */
const WATCHDOG = `trap '' INT HUP TERM
pids=" "
while read -r op pid; do
  case "$op" in
    add) pids="$pids$pid " ;;
    del) pids=$(printf '%s' "$pids" | sed "s/ $pid / /") ;;
    quit) exit 0 ;;
  esac
done
for p in $pids; do kill -KILL "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null; done
[ -n "$1" ] && rm -rf "$1"
exit 0`;

/**
 * A port P in 12000–21999 such that P and its cluster bus port P + 10000 (below 32768) are
 * both free now and neither is P or P + 10000 of a port in `taken`; added to `taken`.
 */
async function freeClusterPort(taken) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 12_000 + Math.floor(Math.random() * 10_000);
    if (taken.has(port) || taken.has(port + 10_000) || taken.has(port - 10_000)) continue;
    if ((await canListen(port)) && (await canListen(port + 10_000))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port pair (P in 12000–21999 with P + 10000 free too) found for a cluster node');
}

/**
 * A throwaway Redis Cluster for tests and development: `masters` masters with
 * `replicasPerMaster` replicas each, all on 127.0.0.1, no persistence, noeviction, created
 * with `redis-cli --cluster create`. Node ports are chosen in 12000–21999 so that their
 * cluster bus ports (port + 10000) stay below Linux's ephemeral range (32768+). Each node
 * lives in `dir`/PORT (default: a new temporary directory), with its log in redis.log.
 * Resolves once every node reports cluster_state:ok, every replica's link to its master is
 * up and all nodes agree on which master serves which slots, to
 * { seeds, nodes, dir, slots(), masterOf(slotOrKey), kill(port), waitHealthy(timeoutMs), stop() }
 * (see setup.d.mts). The nodes are killed (and their folders removed) however this
 * process ends, if stop() was not called before.
 */
export async function startThrowawayCluster({ masters = 3, replicasPerMaster = 1, nodeTimeoutMs = 2000, dir } = {}) {
  if (!Number.isInteger(masters) || masters < 3) throw new Error('a Redis Cluster needs at least 3 masters');
  if (!Number.isInteger(replicasPerMaster) || replicasPerMaster < 0) throw new Error('replicasPerMaster must be an integer >= 0');
  const bin = ensureRedisServer();
  const cli = redisCli();
  const ownDir = !dir;
  const baseDir = dir ? resolve(dir) : mkdtempSync(join(tmpdir(), 'switchboard-cluster-'));
  mkdirSync(baseDir, { recursive: true });

  const watchdog = spawn('sh', ['-c', WATCHDOG, 'watchdog', ownDir ? baseDir : ''], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  watchdog.stdin.on('error', () => {});
  watchdog.unref();
  watchdog.stdin.unref?.();
  const tellWatchdog = (line) => {
    if (watchdog.exitCode === null && watchdog.signalCode === null && watchdog.stdin.writable) watchdog.stdin.write(line + '\n');
  };

  /** @type {{ port: number, pid: number, role: 'master' | 'replica', alive: boolean }[]} */
  const nodes = [];
  const procs = new Map(); // port -> { child, exited: Promise }
  const nodeDirs = [];
  let stopped = false;

  /** SIGKILL to a node and whatever it forked (an RDB child for a replica's sync): its process group. */
  function killNode(child) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }

  const handle = {
    killNow() {
      for (const { child } of procs.values()) killNode(child);
      tellWatchdog('quit');
      removeDirs();
      liveClusters.delete(handle);
    },
  };
  function removeDirs() {
    if (ownDir) rmSync(baseDir, { recursive: true, force: true });
    else for (const d of nodeDirs) rmSync(d, { recursive: true, force: true });
  }
  installExitHooks();
  liveClusters.add(handle);

  const args = (port, nodeDir) => [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'no',
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    `nodes-${port}.conf`,
    '--cluster-node-timeout',
    String(nodeTimeoutMs),
    // A replica may always take over, however long ago it last heard from its master;
    // masters never hand their replicas around (tests decide where replicas are).
    '--cluster-replica-validity-factor',
    '0',
    '--cluster-allow-replica-migration',
    'no',
    '--dir',
    nodeDir,
    '--pidfile',
    join(nodeDir, 'redis.pid'),
    '--save',
    '',
    '--appendonly',
    'no',
    '--maxmemory-policy',
    'noeviction',
    '--maxclients',
    '20000',
    // Replicas sync at once (Redis 7 otherwise waits 5 s for more replicas to share a diskless sync).
    '--repl-diskless-sync-delay',
    '0',
  ];

  // Ports are picked one at a time (so no two nodes pick the same), the nodes start in parallel.
  const taken = new Set();
  let picking = Promise.resolve(0);
  const pickPort = () => (picking = picking.then(() => freeClusterPort(taken)));

  /** Starts one node on a free port pair; resolves to its port once it answers PING. */
  async function startNode() {
    for (let attempt = 1; ; attempt++) {
      const port = await pickPort();
      const nodeDir = join(baseDir, String(port));
      rmSync(nodeDir, { recursive: true, force: true });
      mkdirSync(nodeDir, { recursive: true });
      nodeDirs.push(nodeDir);
      const logFile = join(nodeDir, 'redis.log');
      const log = openSync(logFile, 'a');
      // Own process group, like startPrivateRedis: Ctrl-C in a terminal must not stop the
      // cluster before the processes using it; the exit hooks and the watchdog stop it.
      const child = spawn(bin, args(port, nodeDir), { stdio: ['ignore', log, log], detached: true });
      closeSync(log);
      tellWatchdog(`add ${child.pid}`);
      const exited = new Promise((r) =>
        child.once('exit', () => {
          tellWatchdog(`del ${child.pid}`);
          r();
        }),
      );
      procs.set(port, { child, exited });
      let up = false;
      for (const deadline = Date.now() + 10_000; Date.now() < deadline && child.exitCode === null && child.signalCode === null;) {
        if (
          await redisCommand(port, ['PING'], 500).then(
            (r) => r === 'PONG',
            () => false,
          )
        ) {
          up = true;
          break;
        }
        await sleep(30);
      }
      if (up) {
        nodes.push({ port, pid: child.pid, role: 'master', alive: true });
        return port;
      }
      killNode(child);
      await exited;
      procs.delete(port);
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
      // Another process took the port (or its bus port) since we checked: another pair.
      if (/in use|bind/i.test(tail) && attempt < 5) continue;
      throw new Error(`redis-server (cluster node on port ${port}) did not start:\n${tail}`);
    }
  }

  const alive = () => nodes.filter((n) => n.alive);

  /**
   * The slot ranges as a node sees them, sorted, each with its master's port and the ports
   * of that master's replicas not flagged as failing. From CLUSTER NODES rather than CLUSTER
   * SLOTS: Redis 7.0 leaves out of CLUSTER SLOTS a replica whose replication offset is still
   * 0, i.e. every replica of a cluster that has not been written to yet.
   */
  async function slotsOf(port) {
    const lines = String(await redisCommand(port, ['CLUSTER', 'NODES']))
      .trim()
      .split('\n');
    const byId = new Map();
    for (const line of lines) {
      const [id, addr, flags, masterId, , , , , ...slotTokens] = line.trim().split(' ');
      byId.set(id, { port: Number(addr.split('@')[0].split(':').pop()), flags: flags.split(','), masterId, slotTokens });
    }
    const ranges = [];
    for (const [id, node] of byId) {
      const replicas = [...byId.values()]
        .filter((r) => r.masterId === id && !r.flags.includes('fail'))
        .map((r) => r.port)
        .sort((a, b) => a - b);
      for (const token of node.slotTokens) {
        if (token.startsWith('[')) continue; // a slot being imported / migrated
        const [start, end = start] = token.split('-').map(Number);
        ranges.push({ start, end, master: node.port, replicas });
      }
    }
    return ranges.sort((a, b) => a.start - b.start);
  }

  /** Null when every live node is healthy and they agree; else what is not (yet) right. */
  async function problem({ all }) {
    let agreed = null;
    for (const node of alive()) {
      const { port } = node;
      try {
        const info = infoFields(await redisCommand(port, ['CLUSTER', 'INFO']));
        if (info.cluster_state !== 'ok') return `127.0.0.1:${port} reports cluster_state:${info.cluster_state}`;
        const repl = infoFields(await redisCommand(port, ['INFO', 'replication']));
        node.role = repl.role === 'slave' ? 'replica' : 'master';
        if (node.role === 'replica') {
          const masterPort = Number(repl.master_port);
          const masterAlive = nodes.some((n) => n.port === masterPort && n.alive);
          if ((all || masterAlive) && repl.master_link_status !== 'up')
            return `replica 127.0.0.1:${port}: master_link_status:${repl.master_link_status} (master ${masterPort})`;
        }
        // Which master serves which slots (replicas may be learnt a moment later by some nodes).
        const ranges = await slotsOf(port);
        // Right after kill(), the live nodes still agree on the old map until they notice
        // (cluster-node-timeout): healthy means every slot served by a live master.
        const dead = ranges.find((r) => !nodes.some((n) => n.port === r.master && n.alive));
        if (dead) return `slots ${dead.start}-${dead.end} are still served by the dead node 127.0.0.1:${dead.master} in 127.0.0.1:${port}'s map`;
        const slots = JSON.stringify(ranges.map(({ start, end, master }) => [start, end, master]));
        if (agreed === null) agreed = slots;
        else if (slots !== agreed) return `the nodes do not agree on the slot map yet (127.0.0.1:${port} differs)`;
      } catch (err) {
        return `127.0.0.1:${port}: ${err.message}`;
      }
    }
    return null;
  }

  async function waitHealthy(timeoutMs = 30_000, { all = false } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const wrong = await problem({ all });
      if (!wrong) return;
      if (Date.now() > deadline) throw new Error(`the Redis Cluster is not healthy after ${timeoutMs} ms: ${wrong}`);
      await sleep(50);
    }
  }

  async function stop() {
    if (stopped) return;
    stopped = true;
    for (const { child } of procs.values()) killNode(child);
    await Promise.all([...procs.values()].map((p) => p.exited));
    for (const n of nodes) n.alive = false;
    tellWatchdog('quit');
    watchdog.stdin.end();
    removeDirs();
    liveClusters.delete(handle);
  }

  async function slots() {
    const node = alive()[0];
    if (!node) throw new Error('no node of the cluster is alive');
    return slotsOf(node.port);
  }

  try {
    await Promise.all(Array.from({ length: masters * (1 + replicasPerMaster) }, () => startNode()));
    // redis-cli makes the first `masters` addresses the masters.
    const create = spawn(
      cli,
      ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', String(replicasPerMaster), '--cluster-yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    create.stdout.on('data', (d) => (out += d));
    create.stderr.on('data', (d) => (out += d));
    const code = await new Promise((r, reject) => {
      create.once('error', reject);
      create.once('exit', (c) => r(c));
    });
    if (code !== 0) throw new Error(`redis-cli --cluster create failed (exit ${code}):\n${out.trim().split('\n').slice(-10).join('\n')}`);
    await waitHealthy(30_000, { all: true });
    const replicas = nodes.filter((n) => n.role === 'replica').length;
    if (replicas !== masters * replicasPerMaster) throw new Error(`the cluster has ${replicas} replicas, not ${masters * replicasPerMaster}`);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    nodes,
    dir: baseDir,
    slots,
    async masterOf(slotOrKey) {
      const slot = typeof slotOrKey === 'number' ? slotOrKey : keySlot(slotOrKey);
      const range = (await slots()).find((r) => r.start <= slot && slot <= r.end);
      if (!range) throw new Error(`no master serves slot ${slot}`);
      return range.master;
    },
    async kill(port) {
      const p = procs.get(port);
      const node = nodes.find((n) => n.port === port);
      if (!p || !node) throw new Error(`no cluster node on port ${port}`);
      killNode(p.child);
      await p.exited;
      node.alive = false;
      rmSync(join(baseDir, String(port), 'redis.pid'), { force: true });
    },
    waitHealthy: (timeoutMs = 30_000) => waitHealthy(timeoutMs),
    stop,
  };
}

// The api allocates a few short-lived objects per frame and per Redis reply: a young
// generation of 64 MiB semi-spaces (V8's default is 16) scavenges a quarter as often, which
// was 10-15 % more joins/s in `npm run bench -- join` (docs/benchmarks.md). The bench
// starts its api with the same flags (scripts/bench/lib/harness.ts: API_NODE_FLAGS).
const NODE_FLAGS = { api: ['--max-semi-space-size=64'], worker: [] };

/**
 * The api and worker processes of `npm start` and `npm run cluster`: start(name, kind,
 * script, extraEnv) runs `dist/<script>`; if one exits on its own, everything stops (exit 1).
 * Ctrl-C / SIGTERM stop the children first (their own graceful shutdown), then
 * `stopBackend()` (the private Redis or cluster), then exit 0.
 */
export function superviseProcesses(env, stopBackend) {
  const children = [];
  let stopping = false;
  function start(name, kind, script, extraEnv = {}) {
    const child = spawn(process.execPath, ['--enable-source-maps', ...NODE_FLAGS[kind], join(root, 'dist', script)], {
      env: { ...env, ...extraEnv },
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => {
      if (!stopping) {
        say(`${name} exited (${signal ?? code}); stopping everything`);
        void shutdown(1);
      }
    });
    children.push(child);
    return child;
  }
  async function shutdown(code = 0) {
    if (stopping) return;
    stopping = true;
    say('shutting down: closing sockets, letting workers finish their active jobs…');
    await Promise.all(
      children.map((c) =>
        c.exitCode !== null || c.signalCode !== null
          ? undefined
          : new Promise((r) => {
              c.once('exit', r);
              c.kill('SIGTERM');
            }),
      ),
    );
    await stopBackend();
    process.exit(code);
  }
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  return { start, shutdown };
}

/** The credentials block `npm start` and `npm run cluster` print. */
export function credentialLines(creds) {
  return creds.created
    ? [
        `Bootstrap credentials (first start; saved in ${creds.file}, reused next time):`,
        `  ADMIN_TOKEN  ${creds.adminToken}`,
        `  appid        ${creds.appid}`,
        `  app secret   ${creds.secret}`,
      ]
    : [`Bootstrap credentials: appid ${creds.appid}; admin token and app secret in ${creds.file}`];
}
