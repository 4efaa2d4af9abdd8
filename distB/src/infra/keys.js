// Every Redis key Switchboard writes is built here, so tenancy and Cluster slots are
// decided in one place.
//
// App-scoped keys carry the appid as a hash tag: `sw:{app1}:user:u1`. All keys of one
// app live in one Cluster slot, so a Lua script may touch any of them (first accept
// wins, charge + ledger, seat takeover) and stay legal on Redis Cluster. The cost is
// that one app cannot be spread over several shards; see README § Design.
export function createKeys(prefix) {
    const tag = (appid) => `${prefix}:{${appid}}`;
    return {
        app: (appid) => `${tag(appid)}:app`,
        apps: () => `${prefix}:apps`,
        user: (appid, uid) => `${tag(appid)}:user:${uid}`,
        users: (appid) => `${tag(appid)}:users`,
        session: (appid, tokenHash) => `${tag(appid)}:sess:${tokenHash}`,
        userSessions: (appid, uid) => `${tag(appid)}:usess:${uid}`,
        userSockets: (appid, uid) => `${tag(appid)}:im:socks:${uid}`,
        online: (appid) => `${tag(appid)}:im:online`,
        scoped: (appid, feature, ...parts) => [tag(appid), feature, ...parts].join(':'),
        global: (...parts) => [prefix, 'g', ...parts].join(':'),
    };
}
//# sourceMappingURL=keys.js.map