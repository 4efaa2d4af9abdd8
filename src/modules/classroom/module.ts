// Courses (seed 002) on rooms of kind `classroom`.
import { defineModule } from '../../infra/module.js';
import { classroomContract } from './contract.js';
import { registerClassroomEvents } from './events.js';
import { classroomRoutes } from './routes.js';
import { createClassroomService, type ClassroomService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    classroom: ClassroomService;
  }
}

export const classroomModule = defineModule({
  name: 'classroom',
  needs: ['accounts', 'rtc', 'rooms', 'media'],
  service: (core, { accounts, rtc, rooms }) => createClassroomService(core, { accounts, rtc, rooms }),
  routes: [classroomRoutes],
  events: registerClassroomEvents,
  contract: classroomContract,
  wire({ media, classroom }) {
    // A recording of a course's stream sets its playback_idx_url and makes it a playback (state 3).
    media.onRecording(async (appid, roomnum, rec) => {
      await classroom.markRecorded(appid, roomnum, { playbackUrl: rec.playbackUrl, isIndex: rec.kind === 'index' || rec.indexUrl !== undefined });
    });
  },
});
