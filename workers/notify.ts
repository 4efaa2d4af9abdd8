// notify/notify: a backend service's push, delivered to sockets through the adapter.
import type { Processor } from './registry.js';

export const deliverNotify: Processor<'notify', 'notify'> = async (payload, { services }) => {
  await services.notify.deliver(payload);
  return { delivered: true };
};
