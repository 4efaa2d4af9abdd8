// Socket events of rooms. The answering socket joins/leaves the Socket.IO room itself
// (local, immediate, so it gets the room's next event); the service moves the user's
// other sockets through the adapter.
import { socketRooms } from '../../infra/emitter.js';
import type { Gateway } from '../../realtime/gateway.js';

export function registerRoomEvents(gateway: Gateway): void {
  gateway.handle('room.join', async ({ appid, uid, socket, services }, p) => {
    await socket.join(socketRooms.room(appid, p.roomId));
    try {
      return { roomId: p.roomId, ...(await services.rooms.join(appid, p.roomId, uid)) };
    } catch (err) {
      await socket.leave(socketRooms.room(appid, p.roomId));
      throw err;
    }
  });

  gateway.handle('room.leave', async ({ appid, uid, socket, services }, p) => {
    const r = await services.rooms.leave(appid, p.roomId, uid);
    await socket.leave(socketRooms.room(appid, p.roomId));
    return r;
  });

  gateway.handle('room.heartbeat', async ({ appid, uid, socket, services }, p) => {
    const r = await services.rooms.heartbeat(appid, p.roomId, uid);
    // Let back in after a timeout: this socket follows the room again.
    if (r.joined) await socket.join(socketRooms.room(appid, p.roomId));
    return { roomId: p.roomId, ...r };
  });

  gateway.handle('room.message', async ({ appid, uid, services }, p) =>
    services.rooms.send(appid, p.roomId, uid, {
      ...(p.text !== undefined ? { text: p.text } : {}),
      ...(p.data !== undefined ? { data: p.data } : {}),
    }),
  );

  gateway.handle('room.messages', async ({ appid, services }, p) =>
    services.rooms.messages(appid, p.roomId, { after: p.after, limit: p.limit, ...(p.to !== undefined ? { to: p.to } : {}) }),
  );

  gateway.handle('room.members', async ({ appid, services }, p) => services.rooms.members(appid, p.roomId, p.offset, p.limit));

  // A (re)connecting socket follows the rooms its user is still in, and is told which.
  gateway.contributeSnapshot(
    'rooms',
    async ({ appid, uid, socket, services }, found) => {
      const rooms = await services.rooms.snapshot(appid, uid, found);
      if (rooms.length) await socket.join(rooms.map((r) => socketRooms.room(appid, r.roomId)));
      return rooms;
    },
    ({ appid, uid, services }) => services.rooms.probe(appid, uid),
  );
}
