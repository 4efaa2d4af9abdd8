// Socket events of conferences. Joining puts the answering socket in the conference's socket
// room at once (so it hears the next conference.member); the rooms module moves the user's
// other sockets through the adapter.
import { socketRooms } from '../../infra/emitter.js';
import type { Gateway } from '../../realtime/gateway.js';
import type { Actor } from './service.js';

export function registerConferenceEvents(gateway: Gateway): void {
  const me = (uid: string): Actor => ({ kind: 'user', uid });

  gateway.handle('conference.create', async ({ appid, uid, services }, p) =>
    services.conferences.create(appid, uid, {
      name: p.name,
      ...(p.time !== undefined ? { time: p.time } : {}),
      ...(p.pwd !== undefined ? { pwd: p.pwd } : {}),
    }),
  );

  gateway.handle('conference.join', async ({ appid, uid, socket, services }, p) => {
    await socket.join(socketRooms.room(appid, p.confId));
    try {
      return await services.conferences.join(appid, p.confId, uid, p.pwd);
    } catch (err) {
      await socket.leave(socketRooms.room(appid, p.confId));
      throw err;
    }
  });

  gateway.handle('conference.leave', async ({ appid, uid, socket, services }, p) => {
    const r = await services.conferences.leave(appid, p.confId, uid);
    await socket.leave(socketRooms.room(appid, p.confId));
    return r;
  });

  gateway.handle('conference.get', async ({ appid, uid, services }, p) => services.conferences.get(appid, p.confId, me(uid)));
  gateway.handle('conference.participants', async ({ appid, uid, services }, p) => services.conferences.participants(appid, p.confId, me(uid)));
  gateway.handle('conference.invite', async ({ appid, uid, services }, p) => ({
    confId: p.confId,
    participants: await services.conferences.add(appid, p.confId, me(uid), p.users, p.dial),
  }));
  gateway.handle('conference.callAll', async ({ appid, uid, services }, p) => ({
    confId: p.confId,
    participants: await services.conferences.callAll(appid, p.confId, me(uid)),
  }));
  gateway.handle('conference.kick', async ({ appid, uid, services }, p) => ({
    confId: p.confId,
    participants: await services.conferences.control(appid, p.confId, me(uid), 'kick', p.callids),
  }));
  gateway.handle('conference.mute', async ({ appid, uid, services }, p) => ({
    confId: p.confId,
    participants: await services.conferences.control(appid, p.confId, me(uid), 'mute', p.callids),
  }));
  gateway.handle('conference.unmute', async ({ appid, uid, services }, p) => ({
    confId: p.confId,
    participants: await services.conferences.control(appid, p.confId, me(uid), 'unmute', p.callids),
  }));
  gateway.handle('conference.password', async ({ appid, uid, services }, p) => services.conferences.setPassword(appid, p.confId, me(uid), p.pwd));
  gateway.handle('conference.stop', async ({ appid, uid, services }, p) => services.conferences.stop(appid, p.confId, me(uid)));

  // The creator's conferences still scheduled or live (the 20 newest): re-read their participants after a reconnect.
  gateway.contributeSnapshot(
    'conferences',
    async ({ appid, uid, services }, found) => services.conferences.snapshot(appid, uid, found),
    ({ appid, uid, services }) => services.conferences.probe(appid, uid),
  );
}
