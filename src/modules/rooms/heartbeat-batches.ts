// Room heartbeats, batched. Every member of every room beats every few seconds (the seed:
// 3 s); one Redis call per beat is one socket write per beat on the api, which was most of
// what a heartbeat cost. Beats arriving within ROOM_HEARTBEAT_BATCH_MS are sent as one
// script per app (rooms/store.ts sbRoomBeat); each caller still gets its own answer.
// A plain timer: an I/O batching window of a few milliseconds, not a business deadline.
// 25 ms by default: against 5 ms it cut the api's CPU for 5,000 members beating every 3 s
// by a fifth (docs/benchmarks.md), and an answer 25 ms later is nothing beside a 3 s beat
// and a 10 s deadline.

/** What the flush does with one app's beats: one answer per beat, in order. */
type Flush<T> = (appid: string, beats: Array<{ roomId: string; uid: string }>) => Promise<T[]>;

interface Pending<T> {
  roomId: string;
  uid: string;
  resolve(v: T): void;
  reject(err: unknown): void;
}

/** Beyond this many waiting beats the batch goes at once. */
const MAX_BATCH = 256;

export function createHeartbeatBatches<T>(flushApp: Flush<T>, windowMs: number) {
  let pending = new Map<string, Array<Pending<T>>>();
  let count = 0;
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = new Map();
    count = 0;
    for (const [appid, items] of batch) {
      flushApp(appid, items).then(
        (answers) => items.forEach((it, i) => it.resolve(answers[i]!)),
        (err: unknown) => items.forEach((it) => it.reject(err)),
      );
    }
  }

  return {
    /** Resolves with this beat's answer once its batch was sent. */
    add(appid: string, roomId: string, uid: string): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let items = pending.get(appid);
        if (!items) pending.set(appid, (items = []));
        items.push({ roomId, uid, resolve, reject });
        if (++count >= MAX_BATCH || windowMs === 0) flush();
        else timer ??= setTimeout(flush, windowMs);
      });
    },
    /** Sends what waits now (shutdown). */
    flush,
  };
}
