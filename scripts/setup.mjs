// Set-up steps shared by `npm start`, `npm test` and `npm run bench`.
// Plain Node with built-ins only: it runs before the dependencies exist.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, statSync, readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** Compiles TypeScript to dist/ when any source (src, workers, scripts, tsconfig.json) is newer than the last build. */
export function ensureBuild({ force = false } = {}) {
  const stamp = join(root, 'dist', '.build-stamp');
  const sources = Math.max(newestMtime(join(root, 'src')), newestMtime(join(root, 'workers')), newestMtime(join(root, 'scripts')), statSync(join(root, 'tsconfig.json')).mtimeMs);
  if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= sources) return;
  say('building (tsc)…');
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
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
  throw new Error('Chromium was not found on PATH (the browser tests need it). Either run as root on Debian/Ubuntu (`apt-get install chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary.');
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
    throw new Error(`the private redis-server could not start on port ${port}:\n${output.trim().split('\n').slice(-5).join('\n')}\n(Another process on that port? Set REDIS_PORT, or REDIS_URL to use an existing Redis.)`);
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
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--maxclients', '20000'], { stdio: ['ignore', 'pipe', 'pipe'] });
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
