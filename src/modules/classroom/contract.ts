// The classroom socket contract (seed 002 courses). Course state reaches members as room.state (rooms contract).
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import {
  BindRequest,
  BindResult,
  BindList,
  CourseList,
  CourseListQuery,
  CoursePageRequest,
  CourseRef,
  CourseView,
  CreateCourseBody,
  IdList,
} from './schemas.js';

export const classroomContract = defineContract({
  client: {
    'course.create': { request: CreateCourseBody, response: CourseView },
    'course.start': { request: CourseRef, response: CourseView },
    /** The teacher ends the course (seed exitroom). */
    'course.exit': { request: CourseRef, response: CourseView },
    'course.get': { request: CourseRef, response: CourseView },
    'course.list': { request: CourseListQuery, response: CourseList },
    'course.members': { request: CoursePageRequest, response: IdList },
    'course.bind': { request: BindRequest, response: BindResult },
    'course.binds': { request: CoursePageRequest, response: BindList },
  },
  server: {},
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof classroomContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof classroomContract> {}
}
