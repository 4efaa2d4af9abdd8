// Helpers to run the built api / worker / start script as real child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuild, freePort, root } from '../../scripts/setup.mjs';

export { ensureBuild, freePort, root };

export interface Proc {
  child: ChildProcess;
  output(): string;
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `group`: run in its own process group, so stop() can signal the whole group as a terminal's Ctrl-C does. */
export function run(args: string[], env: Record<string, string>, opts: { group?: boolean } = {}): Proc {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.group ?? false,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    output: () => out,
    async waitFor(text, ms = 20_000) {
      const deadline = Date.now() + ms;
      const hit = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
      while (!hit()) {
        if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before printing ${text}:\n${out}`);
        if (Date.now() > deadline) throw new Error(`no ${text} within ${ms} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      if (opts.group) process.kill(-child.pid!, signal);
      else child.kill(signal);
      return exited;
    },
  };
}

export const apiMain = join('dist', 'src', 'main.js');
export const workerMain = join('dist', 'workers', 'main.js');
