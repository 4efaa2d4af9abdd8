export function registerClassroomEvents(gateway) {
    gateway.handle('course.create', async ({ appid, uid, services }, p) => services.classroom.create(appid, uid, p));
    gateway.handle('course.start', async ({ appid, uid, services }, p) => services.classroom.start(appid, uid, p.roomnum));
    gateway.handle('course.exit', async ({ appid, uid, services }, p) => services.classroom.exit(appid, uid, p.roomnum));
    gateway.handle('course.get', async ({ appid, services }, p) => services.classroom.get(appid, p.roomnum));
    gateway.handle('course.list', async ({ appid, services }, p) => services.classroom.list(appid, p));
    gateway.handle('course.members', async ({ appid, services }, p) => services.classroom.members(appid, p.roomnum, p.index, p.size));
    gateway.handle('course.bind', async ({ appid, uid, services }, p) => services.classroom.bind(appid, uid, p.roomnum, p.bind_file, p.operate));
    gateway.handle('course.binds', async ({ appid, services }, p) => services.classroom.binds(appid, p.roomnum, p.index, p.size));
}
//# sourceMappingURL=events.js.map