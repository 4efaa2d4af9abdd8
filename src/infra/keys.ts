// Every Redis key Switchboard writes is built here, so tenancy and Cluster slots are
// decided in one place.
//
// App-scoped keys carry the appid as a hash tag: `sw:{app1}:user:u1`. All keys of one
// app live in one Cluster slot, so a Lua script may touch any of them (first accept
// wins, charge + ledger, seat takeover) and stay legal on Redis Cluster. The cost is
// that one app cannot be spread over several shards; see docs/decisions.md.

export interface Keys {
  /** The app record (hash). */
  app(appid: string): string;
  /** Set of all appids (global, admin listing). */
  apps(): string;
  user(appid: string, uid: string): string;
  /** Sorted set of the app's user ids (score = creation time). */
  users(appid: string): string;
  /** Login session, keyed by the SHA-256 of the token (the token itself is never stored). */
  session(appid: string, tokenHash: string): string;
  /** Set of a user's live token hashes (for revoke-all and force-disconnect). */
  userSessions(appid: string, uid: string): string;
  /** Set of the user's open socket ids on any node (infra/sessions.ts; named for web IM, its first reader). */
  userSockets(appid: string, uid: string): string;
  /** Hash uid → 1 while the user has a socket (infra/sessions.ts; web IM flips it back). */
  online(appid: string): string;
  /** Any other app-scoped key of a feature: `sw:{app}:<feature>:<parts…>`. */
  scoped(appid: string, feature: string, ...parts: Array<string | number>): string;
  /** Global (not app-scoped) keys of the server itself. */
  global(...parts: string[]): string;
}

export function createKeys(prefix: string): Keys {
  const tag = (appid: string) => `${prefix}:{${appid}}`;
  return {
    app: (appid) => `${tag(appid)}:app`,
    apps: () => `${prefix}:apps`,
    user: (appid, uid) => `${tag(appid)}:user:${uid}`,
    users: (appid) => `${tag(appid)}:users`,
    session: (appid, tokenHash) => `${tag(appid)}:sess:${tokenHash}`,
    userSessions: (appid, uid) => `${tag(appid)}:usess:${uid}`,
    userSockets: (appid, uid) => `${tag(appid)}:im:socks:${uid}`,
    online: (appid) => `${tag(appid)}:im:online`,
    // A loop, not [..].join: every connect builds a dozen of these (the snapshot's probes).
    scoped: (appid, feature, ...parts) => {
      let key = `${tag(appid)}:${feature}`;
      for (const part of parts) key += `:${part}`;
      return key;
    },
    global: (...parts) => [prefix, 'g', ...parts].join(':'),
  };
}
