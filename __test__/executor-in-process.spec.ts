/** InlineExecutor and EventLoopExecutor: results, failures, lanes, limits, shutdown. */
import test from 'ava';
import { ErrorCode } from '../ts/core/error-codes.js';
import { MessagingError } from '../ts/core/errors.js';
import { err, ok } from '../ts/core/result.js';
import { EventLoopExecutor } from '../ts/executor/event-loop-executor.js';
import { InlineExecutor } from '../ts/executor/inline-executor.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const make of [() => InlineExecutor.create(), () => EventLoopExecutor.create()]) {
  const kind = make().unwrap().name;

  test(`${kind}: values, returned Results, throws and rejections`, async (t) => {
    const ex = make().unwrap();
    t.deepEqual((await ex.submit(() => 42)).unwrap(), 42);
    t.is((await ex.submit(async () => 'later')).unwrap(), 'later');
    const thrown = await ex.submit(() => {
      throw new Error('boom');
    });
    t.is(thrown.isErr() && thrown.error.code, ErrorCode.JOB_FAILED);
    t.is(thrown.isErr() && thrown.error.message, 'boom');
    const rejected = await ex.submit(() => Promise.reject(new Error('nope')));
    t.is(rejected.isErr() && rejected.error.code, ErrorCode.JOB_FAILED);
    const returned = await ex.submit(() => err(new MessagingError(ErrorCode.NOT_FOUND, 'x')));
    t.is(returned.isErr() && returned.error.code, ErrorCode.NOT_FOUND);
    t.is((await ex.submit<number>(() => ok(7))).unwrap(), 7);
    t.true((await ex.submit(() => 1)).isOk(), 'still works after failures');
  });

  test(`${kind}: unknown lanes and non-jobs are refused clearly`, async (t) => {
    const ex = make().unwrap();
    const lane = await ex.submit(() => 1, { lane: 'urgent' });
    t.is(lane.isErr() && lane.error.code, ErrorCode.UNKNOWN_LANE);
    t.regex(lane.isErr() ? lane.error.message : '', /urgent.*realtime, batch, background/);
    const bad = await ex.submit(42 as never);
    t.is(bad.isErr() && bad.error.code, ErrorCode.INVALID_ARGUMENT);
  });

  test(`${kind}: an async job past its time limit is JOB_TIMEOUT`, async (t) => {
    const ex = make().unwrap();
    const r = await ex.submit(() => sleep(200), { timeoutMs: 20 });
    t.is(r.isErr() && r.error.code, ErrorCode.JOB_TIMEOUT);
  });

  test(`${kind}: after shutdown jobs get EXECUTOR_SHUTDOWN`, async (t) => {
    const ex = make().unwrap();
    const running = ex.submit(() => sleep(20).then(() => 'done'));
    const report = (await ex.shutdown({ drain: true, timeoutMs: 1000 })).unwrap();
    t.is((await running).unwrap(), 'done');
    t.is(report.abandoned, 0);
    const after = await ex.submit(() => 1);
    t.is(after.isErr() && after.error.code, ErrorCode.EXECUTOR_SHUTDOWN);
  });
}

test('lane configuration errors are CONFIG_ERROR', (t) => {
  for (const options of [{ lanes: [] }, { lanes: ['a', 'a'] }, { lanes: ['a'], defaultLane: 'b' }, { agingMs: -1 }]) {
    const r = EventLoopExecutor.create(options);
    t.is(r.isErr() && r.error.code, ErrorCode.CONFIG_ERROR, JSON.stringify(options));
  }
  t.is(EventLoopExecutor.create({ concurrency: 0 }).isErr(), true);
});

test('event loop: strict lane priority within a turn', async (t) => {
  const ex = EventLoopExecutor.create({ batchSize: 100 }).unwrap();
  const order: string[] = [];
  const jobs = [
    ex.submit(() => order.push('bg1'), { lane: 'background' }),
    ex.submit(() => order.push('b1'), { lane: 'batch' }),
    ex.submit(() => order.push('rt1'), { lane: 'realtime' }),
    ex.submit(() => order.push('bg2'), { lane: 'background' }),
    ex.submit(() => order.push('rt2'), { lane: 'realtime' }),
  ];
  await Promise.all(jobs);
  t.deepEqual(order, ['rt1', 'rt2', 'b1', 'bg1', 'bg2']);
});

test('event loop: aging lets a waiting background job go before fresh realtime work', async (t) => {
  const ex = EventLoopExecutor.create({ batchSize: 1, agingMs: 15 }).unwrap();
  const order: string[] = [];
  const bg = ex.submit(() => order.push('bg'), { lane: 'background' });
  // Keep the realtime lane busy for longer than the aging threshold.
  const rt: Promise<unknown>[] = [];
  const feed = (n: number) => {
    if (n === 0) return;
    rt.push(ex.submit(() => order.push('rt'), { lane: 'realtime' }));
    setTimeout(() => feed(n - 1), 2);
  };
  feed(30);
  await bg;
  await sleep(80);
  await Promise.all(rt);
  const at = order.indexOf('bg');
  t.true(at > 0 && at < order.length - 1, `background ran at ${at} of ${order.length}`);
});

test('event loop: the async concurrency limit holds', async (t) => {
  const ex = EventLoopExecutor.create({ concurrency: 3 }).unwrap();
  let running = 0;
  let peak = 0;
  const job = async () => {
    running++;
    peak = Math.max(peak, running);
    await sleep(5);
    running--;
  };
  await Promise.all(Array.from({ length: 20 }, () => ex.submit(job)));
  t.is(peak, 3);
});

test('event loop: shutdown without drain abandons queued jobs', async (t) => {
  const ex = EventLoopExecutor.create({ concurrency: 1 }).unwrap();
  const jobs = Array.from({ length: 5 }, () => ex.submit(() => sleep(30)));
  await sleep(5);
  const report = (await ex.shutdown({ drain: false })).unwrap();
  t.is(report.abandoned, 5);
  const results = await Promise.all(jobs.slice(1));
  for (const r of results) t.is(r.isErr() && r.error.code, ErrorCode.EXECUTOR_SHUTDOWN);
});

test('event loop: a drain that times out reports what was left', async (t) => {
  // The first job finishes at once; the other three wait on a gate opened only after the drain
  // gave up, so the report does not depend on how loaded the machine is.
  let open: (() => void) | undefined;
  const gate = new Promise<void>((r) => (open = r));
  const ex = EventLoopExecutor.create({ concurrency: 1 }).unwrap();
  void ex.submit(async () => {});
  for (let i = 0; i < 3; i++) void ex.submit(() => gate);
  const report = (await ex.shutdown({ drain: true, timeoutMs: 200 })).unwrap();
  open?.();
  t.is(report.completed, 1);
  t.is(report.abandoned, 3);
});

test('tasks run by name in process executors', async (t) => {
  const ex = EventLoopExecutor.create({ tasks: { double: (n) => (n as number) * 2 } }).unwrap();
  t.is((await ex.submit({ task: 'double', data: 21 })).unwrap(), 42);
  const unknown = await ex.submit({ task: 'triple', data: 1 });
  t.is(unknown.isErr() && unknown.error.code, ErrorCode.INVALID_ARGUMENT);
});
