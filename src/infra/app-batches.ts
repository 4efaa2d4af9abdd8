// Calls to Redis batched per app: work that arrives close together goes as one script per
// app (all of an app's keys share one Cluster slot), and each caller still gets its own
// answer. One EVALSHA costs the api (ioredis) and Redis 20–30 µs each whatever it carries,
// so under load a share of one script is much cheaper than a script per call.
// Users: room heartbeats (rooms/service.ts: ROOM_HEARTBEAT_BATCH_MS, a window of a few ms)
// and webhook fan-outs (webhooks/service.ts: the events of one tick).
// A plain timer or tick: an I/O batching window, not a business deadline.

/** What the flush does with one app's items: one answer per item, in order. */
type Flush<I, T> = (appid: string, items: I[]) => Promise<T[]>;

interface Pending<I, T> {
  item: I;
  resolve(v: T): void;
  reject(err: unknown): void;
}

/** Beyond this many waiting items the batch goes at once. */
const MAX_BATCH = 256;

/**
 * `window`: milliseconds to wait for more after the first item (0: no batching, each goes at
 * once), or 'tick': what arrives in the same turn of the event loop (the continuations of
 * replies that came in one read), sent when it ends — no added wait.
 */
export function createAppBatches<I, T>(flushApp: Flush<I, T>, window: number | 'tick') {
  let pending = new Map<string, Array<Pending<I, T>>>();
  let count = 0;
  let timer: NodeJS.Timeout | null = null;
  let tickScheduled = false;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    tickScheduled = false;
    const batch = pending;
    pending = new Map();
    count = 0;
    for (const [appid, items] of batch) {
      flushApp(
        appid,
        items.map((p) => p.item),
      ).then(
        (answers) => items.forEach((p, i) => p.resolve(answers[i]!)),
        (err: unknown) => items.forEach((p) => p.reject(err)),
      );
    }
  }

  return {
    /** Resolves with this item's answer once its batch was sent. */
    add(appid: string, item: I): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let items = pending.get(appid);
        if (!items) pending.set(appid, (items = []));
        items.push({ item, resolve, reject });
        if (++count >= MAX_BATCH || window === 0) flush();
        else if (window === 'tick') {
          if (!tickScheduled) {
            tickScheduled = true;
            process.nextTick(flush);
          }
        } else timer ??= setTimeout(flush, window);
      });
    },
    /** Sends what waits now (shutdown). */
    flush,
  };
}
