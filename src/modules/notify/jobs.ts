// notify/notify: a backend service's push, delivered to sockets through the adapter.
import type { ModuleQueues } from '../../infra/queues.js';
import { NotifyJob } from './schemas.js';

declare module '../../infra/queues.js' {
  interface QueueCatalogue {
    /** Public: backends enqueue `{appid, to, event, data}` and it reaches the sockets. */
    notify: { notify: typeof NotifyJob };
  }
}

export const notifyQueues: ModuleQueues = {
  notify: {
    notify: {
      schema: NotifyJob,
      async process(payload, { services }) {
        await services.notify.deliver(payload);
        return { delivered: true };
      },
    },
  },
};
