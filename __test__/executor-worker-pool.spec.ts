/**
 * WorkerPoolExecutor on real worker threads: results, failures, hung and crashing tasks,
 * lanes, wake-up latency, bad configuration, shutdown.
 */
import test from 'ava';
import { ErrorCode } from '../ts/core/error-codes.js';
import type { Result } from '../ts/core/result.js';
import { WorkerPoolExecutor } from '../ts/executor/worker-pool-executor.js';

const TASKS = new URL('./helpers/executor-tasks.ts', import.meta.url);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pool(options: Partial<Parameters<typeof WorkerPoolExecutor.create>[0]> = {}): Promise<WorkerPoolExecutor> {
  return (await WorkerPoolExecutor.create({ module: TASKS, workers: 2, ...options })).unwrap();
}

test.serial('tasks run on worker threads and their values come back', async (t) => {
  const p = await pool();
  t.true(p.tasks.includes('inc'));
  t.is((await p.submit({ task: 'inc', data: 41 })).unwrap(), 42);
  t.is((await p.submit({ task: 'echo', data: 'héllo' })).unwrap(), 'héllo');
  t.deepEqual((await p.submit({ task: 'echo', data: new Uint8Array([1, 2, 3]) })).unwrap(), new Uint8Array([1, 2, 3]));
  t.deepEqual((await p.submit({ task: 'echo', data: { a: [1, null, true] } })).unwrap(), { a: [1, null, true] });
  const s = (await p.submit({ task: 'structured' })).unwrap() as { when: Date; map: Map<string, number> };
  t.true(s.when instanceof Date);
  t.is(s.map.get('a'), 1);
  const threads = new Set((await Promise.all(Array.from({ length: 200 }, () => p.submit({ task: 'whoami' })))).map((r) => r.unwrap()));
  t.false(threads.has(0), 'not the main thread');
  (await p.shutdown()).unwrap();
});

test.serial('many jobs, per job and grouped: each settles once with its own value', async (t) => {
  const p = await pool({ batchSize: 64 });
  const n = 20_000;
  const each = await Promise.all(Array.from({ length: n }, (_, i) => p.submit<number>({ task: 'inc', data: i })));
  t.true(each.every((r, i) => r.unwrap() === i + 1));
  const grouped = (await p.submitMany<number>('inc', Array.from({ length: n }, (_, i) => i))).unwrap();
  t.is(grouped.length, n);
  t.true(grouped.every((r, i) => r.unwrap() === i + 1));
  t.is(p.pending, 0);
  (await p.shutdown()).unwrap();
});

test.serial('a task that throws or rejects is JOB_FAILED and the worker lives on', async (t) => {
  const lines: unknown[] = [];
  const logger = { error: (f: unknown) => lines.push(f), warn: (f: unknown) => lines.push(f) } as never;
  const p = await pool({ logger });
  const ids = p.threadIds;
  const thrown = await p.submit({ task: 'fail', data: 'bad input' });
  t.is(thrown.isErr() && thrown.error.code, ErrorCode.JOB_FAILED);
  t.is(thrown.isErr() && thrown.error.message, 'bad input');
  const rejected = await p.submit({ task: 'failLater', data: 1 });
  t.is(rejected.isErr() && rejected.error.code, ErrorCode.JOB_FAILED);
  t.is((await p.submit({ task: 'inc', data: 1 })).unwrap(), 2);
  t.deepEqual(p.threadIds, ids, `no worker was replaced ${JSON.stringify(lines)}`);
  (await p.shutdown()).unwrap();
});

test.serial('a hung task fails with JOB_TIMEOUT, its worker is replaced, the rest of its batch still runs', async (t) => {
  const p = await pool({ workers: 1, batchSize: 8 });
  const before = p.threadIds;
  const hung = p.submit({ task: 'hang' }, { timeoutMs: 100 });
  const after = Array.from({ length: 5 }, (_, i) => p.submit<number>({ task: 'inc', data: i }));
  const r = await hung;
  t.is(r.isErr() && r.error.code, ErrorCode.JOB_TIMEOUT);
  const rest = await Promise.all(after);
  t.deepEqual(
    rest.map((x) => x.unwrap()),
    [1, 2, 3, 4, 5],
  );
  t.notDeepEqual(p.threadIds, before, 'the stuck worker was replaced');
  t.is(p.size, 1);
  (await p.shutdown()).unwrap();
});

test.serial('a worker that crashes is replaced and its job reported WORKER_CRASHED', async (t) => {
  const p = await pool({ workers: 1 });
  const before = p.threadIds;
  const crashed = await p.submit({ task: 'crash' });
  t.is(crashed.isErr() && crashed.error.code, ErrorCode.WORKER_CRASHED);
  t.is((await p.submit({ task: 'inc', data: 9 })).unwrap(), 10);
  t.notDeepEqual(p.threadIds, before);
  (await p.shutdown()).unwrap();
});

test.serial('async tasks run concurrently in a worker', async (t) => {
  const p = await pool({ workers: 1 });
  const start = performance.now();
  const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => p.submit({ task: 'sleep', data: { ms: 50, value: i } })));
  t.deepEqual(
    rs.map((r) => r.unwrap()),
    Array.from({ length: 20 }, (_, i) => i),
  );
  t.true(performance.now() - start < 600, 'not one after another');
  (await p.shutdown()).unwrap();
});

test.serial('an idle worker wakes quickly when a job arrives', async (t) => {
  const p = await pool({ workers: 1, idleWaitMs: 5_000 });
  await p.submit({ task: 'inc', data: 0 });
  await sleep(50); // the worker is asleep in Atomics.wait now
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    await sleep(5);
    const t0 = performance.now();
    (await p.submit({ task: 'inc', data: i })).unwrap();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const median = samples[10] as number;
  t.log(`round trip to a sleeping worker: median ${median.toFixed(3)} ms`);
  // A round trip includes the result's way back; the wake-up itself is a fraction of it.
  t.true(median < 20, `median round trip ${median} ms`);
  (await p.shutdown()).unwrap();
});

test.serial('strict priority: realtime work queued behind a busy worker runs before background', async (t) => {
  const p = await pool({ workers: 1, batchSize: 1 });
  const order: string[] = [];
  const track = (lane: string) => (r: Result<unknown>) => order.push(`${lane}:${String(r.unwrap())}`);
  const busy = p.submit({ task: 'spin', data: 60 });
  await sleep(10);
  const jobs = [
    p.submit({ task: 'tag', data: { lane: 'bg' } }, { lane: 'background' }).then(track('background')),
    p.submit({ task: 'tag', data: { lane: 'b' } }, { lane: 'batch' }).then(track('batch')),
    p.submit({ task: 'tag', data: { lane: 'rt' } }, { lane: 'realtime' }).then(track('realtime')),
  ];
  await busy;
  await Promise.all(jobs);
  t.deepEqual(order, ['realtime:rt', 'batch:b', 'background:bg']);
  (await p.shutdown()).unwrap();
});

test.serial('bad configuration and bad jobs give clear errors', async (t) => {
  const noModule = await WorkerPoolExecutor.create({ module: new URL('./helpers/does-not-exist.ts', import.meta.url), workers: 1, startTimeoutMs: 5_000 });
  t.is(noModule.isErr() && noModule.error.code, ErrorCode.CONFIG_ERROR);
  for (const options of [{ workers: 0 }, { capacity: 0 }, { capacity: -5 }, { policy: 'drop_oldest' as never }, { workerLanes: [['urgent']] }, { lanes: [] }]) {
    const r = await WorkerPoolExecutor.create({ module: TASKS, ...options });
    t.is(r.isErr() && r.error.code, ErrorCode.CONFIG_ERROR, JSON.stringify(options));
  }
  const p = await pool({ workers: 1 });
  const lane = await p.submit({ task: 'inc', data: 1 }, { lane: 'urgent' });
  t.is(lane.isErr() && lane.error.code, ErrorCode.UNKNOWN_LANE);
  const fn = await p.submit(() => 1);
  t.is(fn.isErr() && fn.error.code, ErrorCode.INVALID_ARGUMENT);
  const task = await p.submit({ task: 'nope' });
  t.is(task.isErr() && task.error.code, ErrorCode.INVALID_ARGUMENT);
  const data = await p.submit({ task: 'echo', data: () => 1 });
  t.is(data.isErr() && data.error.code, ErrorCode.INVALID_ARGUMENT);
  (await p.shutdown()).unwrap();
});

test.serial('shutdown drains queued work, then refuses new jobs', async (t) => {
  const p = await pool({ workers: 1 });
  const jobs = Array.from({ length: 10 }, (_, i) => p.submit({ task: 'sleep', data: { ms: 5, value: i } }));
  const report = (await p.shutdown({ drain: true, timeoutMs: 5_000 })).unwrap();
  t.is(report.completed, 10);
  t.is(report.abandoned, 0);
  t.true((await Promise.all(jobs)).every((r) => r.isOk()));
  const after = await p.submit({ task: 'inc', data: 1 });
  t.is(after.isErr() && after.error.code, ErrorCode.EXECUTOR_SHUTDOWN);
});

test.serial('a drain that times out reports the abandoned jobs', async (t) => {
  const p = await pool({ workers: 1, batchSize: 1 });
  const jobs = Array.from({ length: 4 }, () => p.submit({ task: 'spin', data: 40 }));
  const report = (await p.shutdown({ drain: true, timeoutMs: 60 })).unwrap();
  t.true(report.abandoned >= 2, `abandoned ${report.abandoned}`);
  t.is(report.completed + report.abandoned, 4);
  const results = await Promise.all(jobs);
  t.is(results.filter((r) => r.isErr() && r.error.code === ErrorCode.EXECUTOR_SHUTDOWN).length, report.abandoned);
});

test.serial('reject policy: a full lane queue gives QUEUE_FULL', async (t) => {
  const p = await pool({ workers: 1, capacity: 4, policy: 'reject', batchSize: 1 });
  const jobs = [p.submit({ task: 'spin', data: 50 }), ...Array.from({ length: 20 }, () => p.submit({ task: 'inc', data: 0 }))];
  const results = await Promise.all(jobs);
  const full = results.filter((r) => r.isErr() && r.error.code === ErrorCode.QUEUE_FULL).length;
  t.true(full > 0 && full < 21, `${full} refused`);
  (await p.shutdown()).unwrap();
});

test('the executor gauges show workers busy while a job runs and idle after', async (t) => {
  const { createMetrics } = await import('../ts/observability/metrics.js');
  const p = await pool({ name: 'gauged' });
  const metrics = createMetrics({ defaultMetrics: false }).unwrap();
  const stop = metrics.watchExecutor(p);
  t.teardown(async () => {
    stop();
    metrics.close();
    await p.shutdown();
  });
  const running = p.submit({ task: 'spin', data: 400 });
  let busy = 0;
  for (let i = 0; i < 100 && busy === 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
    busy = p.workerUsage().busy;
  }
  t.deepEqual(p.workerUsage(), { busy: 1, idle: 1 });
  await metrics.sampleNow();
  const during = await metrics.registry.metrics();
  t.regex(during, /messaging_executor_workers_busy\{executor="gauged"\} 1\n/);
  t.regex(during, /messaging_executor_workers_idle\{executor="gauged"\} 1\n/);
  (await running).unwrap();
  await metrics.sampleNow();
  t.regex(await metrics.registry.metrics(), /messaging_executor_workers_busy\{executor="gauged"\} 0\n/);
});
