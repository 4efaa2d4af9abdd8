export const socketRooms = {
    user: (appid, uid) => `user:${appid}:${uid}`,
    room: (appid, roomId) => `room:${appid}:${roomId}`,
    dashboard: (appid) => `dash:${appid}`,
};
/**
 * Sends a last event to a socket of this node, then closes it. With connection state
 * recovery on, a plain socket.emit goes through the adapter (streams: only after its XADD
 * returns) and would reach the client after the close, i.e. never; a local-only emit to
 * the socket's own room is written at once.
 */
export function tellAndClose(socket, event, data) {
    socket.nsp.local.to(socket.id).emit(event, data);
    socket.disconnect(true);
}
export function createEmitter(io, dashboards) {
    /** This node holds `registered` (or more) registered sockets of the user room: all of them. */
    function holdsAll(userRoom, registered) {
        const nsp = io.of('/');
        let here = 0;
        for (const id of nsp.adapter.rooms.get(userRoom) ?? [])
            if (nsp.sockets.get(id)?.data?.registered)
                here++;
        return here > 0 && registered <= here;
    }
    return {
        toUser: (appid, uid, event, data) => void io.to(socketRooms.user(appid, uid)).emit(event, data),
        toRoom: (appid, roomId, event, data, opts) => void (opts?.exceptUser === undefined ? io.to(socketRooms.room(appid, roomId)) : io.to(socketRooms.room(appid, roomId)).except(socketRooms.user(appid, opts.exceptUser))).emit(event, data),
        toDashboard(appid, event, data) {
            if (!dashboards.watched(appid))
                return false;
            io.of('/dashboard').to(socketRooms.dashboard(appid)).emit(event, typeof data === 'object' && data !== null && !Array.isArray(data) ? { appid, ...data } : data);
            return true;
        },
        async userSocketCount(appid, uid) {
            return (await io.in(socketRooms.user(appid, uid)).fetchSockets()).length;
        },
        async disconnectUser(appid, uid, reason, tokenHash) {
            // fetchSockets asks every node through the adapter; revocation is rare, so the
            // round trip is worth not keeping one extra room per socket.
            const sockets = await io.in(socketRooms.user(appid, uid)).fetchSockets();
            let n = 0;
            for (const s of sockets) {
                if (tokenHash && s.data.tokenHash !== tokenHash)
                    continue;
                const local = io.of('/').sockets.get(s.id);
                if (local) {
                    tellAndClose(local, 'session.revoked', reason);
                }
                else {
                    s.emit('session.revoked', reason);
                    s.disconnect(true);
                }
                n++;
            }
            return n;
        },
        // socketsJoin/socketsLeave travel through the adapter, so a worker can move sockets it does not hold.
        joinRoomOf(appid, uid, roomId, registered) {
            const user = socketRooms.user(appid, uid);
            (holdsAll(user, registered) ? io.local : io).in(user).socketsJoin(socketRooms.room(appid, roomId));
        },
        leaveRoomOf(appid, uid, roomId, registered) {
            const user = socketRooms.user(appid, uid);
            (holdsAll(user, registered) ? io.local : io).in(user).socketsLeave(socketRooms.room(appid, roomId));
        },
        leaveRoom: (appid, uid, roomId) => io.in(socketRooms.user(appid, uid)).socketsLeave(socketRooms.room(appid, roomId)),
        clearRoom: (appid, roomId) => io.in(socketRooms.room(appid, roomId)).socketsLeave(socketRooms.room(appid, roomId)),
    };
}
//# sourceMappingURL=emitter.js.map