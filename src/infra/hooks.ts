// One typed hook: a feature offers `createHook<[args]>()`, others subscribe with `on()`
// and the owner calls `run()`. Every hook of every feature follows the same error rule:
//
//   handlers run one after another, in subscription order, each awaited; a handler that
//   throws does not stop the later ones (one subscriber's failure must not starve another,
//   e.g. metrics must not starve webhooks); once all ran, `run()` rethrows the first failure.
//
// The caller decides what a failure means: dispatch logs it (a conversation has ended
// whatever its subscribers did), billing leaves the end pending so the tick job runs its
// hooks again, a recording job fails and is retried, presence and domain events pass it on.
// Hence handlers must be idempotent.

export type HookHandler<Args extends unknown[]> = (...args: Args) => Promise<void> | void;

export interface Hook<Args extends unknown[]> {
  /** Subscribes `handler`; returns its unsubscribe. */
  on(handler: HookHandler<Args>): () => void;
  /** Runs every handler (the rule above). */
  run(...args: Args): Promise<void>;
  /** How many handlers are subscribed. */
  readonly size: number;
  /** Replaces every handler, returning the previous ones (tests, nodes that must not react). */
  replace(handlers: HookHandler<Args>[]): HookHandler<Args>[];
}

export function createHook<Args extends unknown[]>(): Hook<Args> {
  let handlers: HookHandler<Args>[] = [];
  return {
    on(handler) {
      handlers.push(handler);
      return () => {
        handlers = handlers.filter((h) => h !== handler);
      };
    },
    async run(...args) {
      let failure: { err: unknown } | null = null;
      // A copy: a handler that unsubscribes itself does not skip its neighbour.
      for (const handler of [...handlers]) {
        try {
          await handler(...args);
        } catch (err) {
          failure ??= { err };
        }
      }
      if (failure) throw failure.err;
    },
    get size() {
      return handlers.length;
    },
    replace(list) {
      const previous = handlers;
      handlers = [...list];
      return previous;
    },
  };
}
