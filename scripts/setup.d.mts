export const root: string;
export function say(msg: string): void;
export function ensureDependencies(): void;
export function ensureBuild(opts?: { force?: boolean }): void;
export function ensureRedisServer(): string;
export function ensureChromium(): string;
export function startPrivateRedis(opts: { dataDir: string; port: number }): Promise<{ url: string; child: import('node:child_process').ChildProcess; stop(): Promise<void> }>;
export function freePort(): Promise<number>;
export function startThrowawayRedis(): Promise<{ url: string; pid: number; stop(): Promise<void> }>;
