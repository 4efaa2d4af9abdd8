// One class (issue #3): BENCH_STUDENTS students and their teacher in one live course;
// the teacher sends BENCH_MESSAGES `room.message` events BENCH_GAP_MS apart and every
// student's receipt is timed: delivery = receipt − the moment the teacher's socket sent it,
// both read from this process's clock. Same run, same clients, against a bare Socket.IO
// server (in-memory adapter) that joins the sockets to a room and broadcasts to it.
// Switchboard: one api process + one worker process on a throwaway Redis, default socket
// adapter; the course is created and started by the teacher (course.create/start), every
// member heartbeats every 3 s as in a real class (bare: session.ping every 3 s).
//   BENCH_STUDENTS (default 1000)  BENCH_MESSAGES (default 50)  BENCH_GAP_MS (default 200)
import type { AckResult } from '../../src/client/index.js';
import { rawConnect, type RawClient } from './lib/rawclient.js';
import { createBenchApp, freePort, pool, sleep, startRedis, startServerProc, startWorkerProc, type ServerProc } from './lib/harness.js';
import { cpuSeconds, fmt, printTable, summary } from './lib/stats.js';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 1000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 50);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 200);
const PERIOD_MS = 3000;
const ADMIN = 'bench-admin-token-0123456789';

interface Result {
  server: string;
  deliveries: number;
  p50: number;
  p99: number;
  max: number;
  /** per teacher message: until the last student had it */
  allP50: number;
  allP99: number;
  sendAckP50: number;
  errors: number;
  cpuServer: number;
  cpuWorker: number;
  cpuRedis: number;
}

async function ok<T>(p: Promise<AckResult<T>>, what: string): Promise<T> {
  const a = await p;
  if (!a.ok) throw new Error(`${what}: ${a.error.code} ${a.error.message}`);
  return a.data;
}

async function measure(mode: 'bare' | 'switchboard', redis: { url: string; pid: number }): Promise<Result> {
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    ADMIN_TOKEN: ADMIN,
    KEY_PREFIX: 'bclass',
    QUEUE_PREFIX: 'bqclass',
    LOG_LEVEL: 'warn',
    PORT: String(await freePort()),
  };
  const server: ServerProc = await startServerProc(mode, env);
  const worker = mode === 'switchboard' ? await startWorkerProc(env) : null;
  let clients: RawClient[] = [];
  let running = true;
  try {
    // ── the class: teacher = clients[0], students = clients[1..] ──
    let roomId = '1';
    if (mode === 'bare') {
      clients = await pool(
        Array.from({ length: STUDENTS + 1 }, () => null),
        100,
        (auth) => rawConnect(server.url, auth),
      );
      await pool(clients, 50, (c) => ok(c.emitWithAck('room.join', { roomId }), 'room.join'));
    } else {
      const { token } = await createBenchApp(server.url, ADMIN);
      const tokens = await pool(
        Array.from({ length: STUDENTS + 1 }, (_, i) => i),
        32,
        (i) => (i === 0 ? token('teacher', { role: 'teacher' }) : token(`s${i}`, { role: 'student' })),
      );
      clients = await pool(tokens, 100, (token) => rawConnect(server.url, { token }));
      const teacher = clients[0]!;
      const course = await ok(teacher.emitWithAck('course.create', { title: 'bench class' }), 'course.create');
      roomId = String(course.roomnum);
      await ok(teacher.emitWithAck('course.start', { roomnum: course.roomnum }), 'course.start');
      await ok(teacher.emitWithAck('room.join', { roomId }), 'room.join (teacher)');
      await pool(clients.slice(1), 50, (c) => ok(c.emitWithAck('room.join', { roomId }), 'room.join'));
    }
    // Everyone stays alive as in a real class.
    const heartbeat = mode === 'bare' ? () => ['session.ping', { t: Date.now() }] as const : () => ['room.heartbeat', { roomId }] as const;
    let hbErrors = 0;
    const loops = clients.map(async (c) => {
      await sleep(Math.random() * PERIOD_MS);
      while (running) {
        const [event, data] = heartbeat();
        if (!(await c.emitWithAck(event, data)).ok) hbErrors++;
        await sleep(PERIOD_MS);
      }
    });
    await sleep(PERIOD_MS); // the join announcements drain, heartbeats spread

    // ── the teacher's messages ──
    const sentAt = new Float64Array(MESSAGES);
    const latencies: number[] = [];
    const lastAt = new Float64Array(MESSAGES); // latest receipt per message
    const got = new Uint32Array(MESSAGES);
    for (const c of clients.slice(1)) {
      c.on('room.message', (m) => {
        const at = performance.now();
        const i = (m.data as { i?: number } | undefined)?.i ?? -1; // the teacher's data below
        if (i < 0 || i >= MESSAGES) return;
        latencies.push(at - sentAt[i]!);
        got[i]!++;
        if (at > lastAt[i]!) lastAt[i] = at;
      });
    }
    const teacher = clients[0]!;
    const acks: Array<Promise<void>> = [];
    const sendAck: number[] = [];
    let errors = 0;
    const cpu0 = { server: cpuSeconds(server.pid), worker: worker ? cpuSeconds(worker.pid) : 0, redis: cpuSeconds(redis.pid) };
    const start = performance.now();
    for (let i = 0; i < MESSAGES; i++) {
      const due = start + i * GAP_MS;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      sentAt[i] = performance.now();
      acks.push(
        teacher.emitWithAck('room.message', { roomId, data: { i } }).then((a) => {
          if (a.ok) sendAck.push(performance.now() - sentAt[i]!);
          else errors++;
        }),
      );
    }
    await Promise.all(acks);
    const deadline = Date.now() + 15_000;
    while (latencies.length < MESSAGES * STUDENTS && Date.now() < deadline) await sleep(20);
    const wall = (performance.now() - start) / 1000;
    const pct = (a: number, b: number) => ((b - a) / wall) * 100;
    const cpuServer = pct(cpu0.server, cpuSeconds(server.pid));
    const cpuWorker = worker ? pct(cpu0.worker, cpuSeconds(worker.pid)) : NaN;
    const cpuRedis = mode === 'switchboard' ? pct(cpu0.redis, cpuSeconds(redis.pid)) : NaN;
    running = false;
    await Promise.race([Promise.all(loops), sleep(PERIOD_MS + 2000)]);

    const s = summary(latencies);
    const all = summary(Array.from(lastAt, (at, i) => (got[i] === STUDENTS ? at - sentAt[i]! : NaN)).filter(Number.isFinite));
    return {
      server: mode === 'bare' ? 'bare Socket.IO room broadcast' : 'Switchboard course room.message',
      deliveries: s.n,
      p50: s.p50,
      p99: s.p99,
      max: s.max,
      allP50: all.p50,
      allP99: all.p99,
      sendAckP50: summary(sendAck).p50,
      errors: errors + hbErrors,
      cpuServer,
      cpuWorker,
      cpuRedis,
    };
  } finally {
    running = false;
    for (const c of clients) c.close();
    if (worker) {
      await worker.stop();
    }
    await server.stop();
  }
}

const redis = await startRedis();
try {
  process.stdout.write(
    `classroom: 1 teacher + ${STUDENTS} students in one room, ${MESSAGES} teacher messages ${GAP_MS} ms apart, ` +
      `heartbeats every ${PERIOD_MS / 1000} s; Switchboard = one api + one worker, default socket adapter; node ${process.version}\n`,
  );
  const bare = await measure('bare', redis);
  const sb = await measure('switchboard', redis);
  const row = (r: Result) => ({
    server: r.server,
    expected: MESSAGES * STUDENTS,
    deliveries: r.deliveries,
    'p50 ms': fmt(r.p50, 2),
    'p99 ms': fmt(r.p99, 2),
    'max ms': fmt(r.max, 1),
    'all students p50 ms': fmt(r.allP50, 2),
    'all students p99 ms': fmt(r.allP99, 2),
    'send ack p50 ms': fmt(r.sendAckP50, 2),
    errors: r.errors,
    'server CPU %': fmt(r.cpuServer),
    'worker CPU %': fmt(r.cpuWorker),
    'redis CPU %': fmt(r.cpuRedis),
  });
  printTable('Teacher event → every student: delivery time', [row(bare), row(sb)]);
  process.stdout.write(
    `\nratio Switchboard / bare: delivery p50 ${fmt(sb.p50 / bare.p50, 2)}×, p99 ${fmt(sb.p99 / bare.p99, 2)}×, ` +
      `until all students p99 ${fmt(sb.allP99 / bare.allP99, 2)}×\n`,
  );
} finally {
  await redis.stop();
}
