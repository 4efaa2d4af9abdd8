// Pushes from an app's backend to its users or rooms, either now (HTTP, emitted by the
// api node through the adapter) or through the public `notify` BullMQ queue.
import type { Core } from '../../infra/core.js';
import { appEvent } from '../../infra/emitter.js';
import type { AccountsService } from '../accounts/service.js';
import type { NotifyJobT } from './schemas.js';

export type NotifyService = ReturnType<typeof createNotifyService>;

export function createNotifyService(core: Core, accounts: AccountsService) {
  /** Emits the event to its target, for an app the caller already verified. */
  function emit(job: NotifyJobT): void {
    if ('user' in job.to) core.emitter.toUser(job.appid, job.to.user, appEvent(job.event), job.data ?? null);
    else core.emitter.toRoom(job.appid, job.to.room, appEvent(job.event), job.data ?? null);
  }

  return {
    emit,
    /** The queue's job: the app must exist, nothing is sent for an unknown tenant. */
    async deliver(job: NotifyJobT): Promise<void> {
      await accounts.getApp(job.appid);
      emit(job);
    },
  };
}
