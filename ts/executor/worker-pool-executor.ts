/**
 * WorkerPoolExecutor: runs tasks of a task module (as piscina does: the module's exported
 * functions are the tasks) on worker_threads. Jobs are encoded into a staging arena per lane and
 * cross to the shared native queues once per batch; workers pull batches, run them and push the
 * results back in batches; idle workers sleep in Atomics.wait and are woken by one notify.
 * Lanes have strict priority (optional aging); each job has a time limit, past which it fails
 * with JOB_TIMEOUT and a worker stuck in it is replaced; a worker that dies is replaced, the job
 * it was running fails with WORKER_CRASHED and the rest of its batch runs again elsewhere.
 * It must never run a job twice unless its worker died, and never throw to the caller.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ErrorCode, errorName } from '../core/error-codes.js';
import { MessagingError } from '../core/errors.js';
import type { Executor, Job, JobOptions, Logger, ShutdownReport, WorkerUsage } from '../core/interfaces.js';
import { NO_LOGGER } from '../core/interfaces.js';
import { type Result, err, ok } from '../core/result.js';
import { BoundedQueue } from './bounded-queue.js';
import { Fifo } from './fifo.js';
import { type Group, PendingTable } from './pending-table.js';
import { BatchWriter, STATUS_OK, readValue } from './job-codec.js';
import { checkTimeout, isTask, notAJob, shutdownError, timeoutError } from './job-outcome.js';
import { type LaneOptions, Lanes, unknownLane } from './lanes.js';
import {
  CTL_NOTIFY,
  CTL_SEQ,
  CTL_SLEEPERS,
  CTL_STOP,
  CTL_WORDS,
  type PoolWorkerData,
  type PoolWorkerMessage,
  SLOT_BUSY,
  SLOT_COUNT,
  SLOT_CURRENT,
  SLOT_IDS,
  slotWords,
} from './pool-protocol.js';

/** Options of a WorkerPoolExecutor. */
export interface WorkerPoolExecutorOptions extends LaneOptions {
  /** The task module (path or URL): each exported function is a task, called with the job's data. */
  module: string | URL;
  /** Name in logs (default `worker-pool`). */
  name?: string;
  /** Worker threads (default: CPUs - 1, at least 1). */
  workers?: number;
  /** Lanes each worker serves, highest priority first (default: every lane, for every worker). */
  workerLanes?: readonly (readonly string[])[];
  /** Most jobs queued per lane in the native queue (default 65,536). */
  capacity?: number;
  /** When a lane's queue is full: `block` keeps jobs waiting in order (default), `reject` fails them with QUEUE_FULL. */
  policy?: 'block' | 'reject';
  /** Most jobs a worker takes at once (default 256). */
  batchSize?: number;
  /** Time limit of a job in ms, from submit (default 30,000; 0 = none). */
  jobTimeoutMs?: number;
  /** How long an idle worker sleeps before looking at the stop flag again (default 250 ms; work wakes it at once). */
  idleWaitMs?: number;
  /** How long `create` waits for the workers to load the module (default 10,000 ms). */
  startTimeoutMs?: number;
  /** Where worker replacements are logged. */
  logger?: Logger;
}

interface PoolWorker {
  worker: Worker;
  slot: Int32Array;
  slotBuffer: SharedArrayBuffer;
  lanes: number[];
  /** Why the pool ended it, if it did. */
  endedBy: 'timeout' | 'shutdown' | undefined;
  exited: Promise<void>;
}

/** The worker entry: the compiled module, or under a TypeScript loader the source loaded through tsx. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './pool-worker.ts' : './pool-worker.js', import.meta.url);

function newWorker(workerData: PoolWorkerData): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

function configError(message: string, key: string, value: unknown): Result<never> {
  return err(new MessagingError(ErrorCode.CONFIG_ERROR, message, { details: { key, value } }));
}

function intOption(options: object, key: string, fallback: number, min: number, max: number): Result<number> {
  const v = (options as Record<string, unknown>)[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return configError(`${key} must be an integer from ${min} to ${max}, got ${String(v)}`, key, v);
  return ok(v);
}

/** Runs tasks of a module on worker threads fed from shared native queues. */
export class WorkerPoolExecutor implements Executor {
  readonly name: string;
  readonly #lanes: Lanes;
  readonly #queues: BoundedQueue[];
  readonly #results: BoundedQueue;
  readonly #writers: BatchWriter[];
  readonly #control = new SharedArrayBuffer(CTL_WORDS * 4);
  readonly #ctl = new Int32Array(this.#control);
  readonly #pending = new PendingTable();
  #clock = 0;
  /** Deadlines by time limit: within one limit they come in submit order. */
  readonly #deadlines = new Map<number, { ids: Fifo<number>; ats: Fifo<number> }>();
  readonly #workers: PoolWorker[] = [];
  readonly #module: string;
  readonly #workerLanes: number[][];
  readonly #batchSize: number;
  readonly #timeoutMs: number;
  readonly #idleWaitMs: number;
  readonly #reject: boolean;
  readonly #logger: Logger;
  readonly #out = new Uint8Array(1 << 20);
  readonly #outView = new DataView(this.#out.buffer);
  readonly #outLens = new Uint32Array(4096);
  #taskIndex = new Map<string, number>();
  #taskNames: string[] = [];
  #flushScheduled = false;
  #staged = 0;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  #completed = 0;
  #referenced = false;
  #idle: (() => void)[] = [];
  #respawns: number[] = [];
  #retry: ReturnType<typeof setTimeout> | undefined;
  readonly #flushFn = () => this.#flush();

  private constructor(options: WorkerPoolExecutorOptions, lanes: Lanes, queues: BoundedQueue[], results: BoundedQueue, workerLanes: number[][], n: Record<string, number>) {
    this.name = options.name ?? 'worker-pool';
    this.#lanes = lanes;
    this.#queues = queues;
    this.#results = results;
    this.#writers = queues.map(() => new BatchWriter(64 * 1024, 1024));
    this.#module = options.module instanceof URL ? options.module.href : new URL(options.module, `file://${process.cwd()}/`).href;
    this.#workerLanes = workerLanes;
    this.#batchSize = n.batchSize as number;
    this.#timeoutMs = n.jobTimeoutMs as number;
    this.#idleWaitMs = n.idleWaitMs as number;
    this.#reject = options.policy === 'reject';
    this.#logger = options.logger ?? NO_LOGGER;
  }

  /** Starts the workers and waits until each has loaded the task module; CONFIG_ERROR for bad options or a module that fails to load. */
  static async create(options: WorkerPoolExecutorOptions): Promise<Result<WorkerPoolExecutor>> {
    if (options === null || typeof options !== 'object' || (typeof options.module !== 'string' && !(options.module instanceof URL))) {
      return configError('module (the task module path or URL) is required', 'module', options?.module);
    }
    const lanes = Lanes.resolve(options);
    if (lanes.isErr()) return lanes;
    const n: Record<string, number> = {};
    const checks: [string, number, number, number][] = [
      ['workers', Math.max(1, availableParallelism() - 1), 1, 256],
      ['capacity', 65_536, 1, 0xffff_ffff],
      ['batchSize', 256, 1, 65_536],
      ['jobTimeoutMs', 30_000, 0, 2_147_483_647],
      ['idleWaitMs', 250, 1, 60_000],
      ['startTimeoutMs', 10_000, 1, 2_147_483_647],
    ];
    for (const [key, fallback, min, max] of checks) {
      const v = intOption(options, key, fallback, min, max);
      if (v.isErr()) return v;
      n[key] = v.value;
    }
    const policy = options.policy ?? 'block';
    if (policy !== 'block' && policy !== 'reject') {
      return configError(`a worker pool's policy must be block or reject (a dropped job would never settle), got ${JSON.stringify(policy)}`, 'policy', policy);
    }
    const workers = n.workers as number;
    const workerLanes: number[][] = [];
    for (let w = 0; w < workers; w++) {
      const names = options.workerLanes?.[w % (options.workerLanes?.length || 1)] ?? lanes.value.names;
      const idx: number[] = [];
      for (const name of names) {
        const i = lanes.value.lookup(name);
        if (i < 0) return err(new MessagingError(ErrorCode.CONFIG_ERROR, unknownLane(name, lanes.value.names).message, { details: { key: 'workerLanes', value: name } }));
        idx.push(i);
      }
      if (idx.length === 0) return configError(`worker ${w} serves no lane`, 'workerLanes', names);
      workerLanes.push(idx);
    }
    const queues: BoundedQueue[] = [];
    for (const lane of lanes.value.names) {
      const q = BoundedQueue.create({ capacity: n.capacity, policy, name: `${options.name ?? 'worker-pool'}.${lane}`, maxItemBytes: 1 << 20 });
      if (q.isErr()) {
        for (const made of queues) made.release();
        return q;
      }
      queues.push(q.value);
    }
    const results = BoundedQueue.create({ capacity: Math.max(65_536, (n.capacity as number) * 2), policy: 'block', maxItemBytes: 1 << 20 });
    if (results.isErr()) {
      for (const made of queues) made.release();
      return results;
    }
    const pool = new WorkerPoolExecutor(options, lanes.value, queues, results.value, workerLanes, n);
    const started = await pool.#start(workers, n.startTimeoutMs as number);
    if (started.isErr()) {
      await pool.#stopWorkers();
      pool.#releaseQueues();
      return started;
    }
    return ok(pool);
  }

  /** Names of the tasks the module exports. */
  get tasks(): readonly string[] {
    return this.#taskNames;
  }

  /** Worker threads running now. */
  get size(): number {
    return this.#workers.length;
  }

  /** Workers running a job now (read from their shared slots) and waiting for one. */
  workerUsage(): WorkerUsage {
    let busy = 0;
    for (const w of this.#workers) busy += w.slot[SLOT_BUSY] === 1 ? 1 : 0;
    return { busy, idle: this.#workers.length - busy };
  }

  /** Jobs submitted and not yet settled. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Thread ids of the workers (changes when one is replaced). */
  get threadIds(): number[] {
    return this.#workers.map((w) => w.worker.threadId);
  }

  async #start(count: number, timeoutMs: number): Promise<Result<void>> {
    const ready: Promise<Result<string[]>>[] = [];
    for (let i = 0; i < count; i++) ready.push(this.#spawn(i));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<Result<string[]>>((resolve) => {
      timer = setTimeout(() => resolve(err(new MessagingError(ErrorCode.CONFIG_ERROR, `the workers did not load ${this.#module} within ${timeoutMs} ms`))), timeoutMs);
    });
    const all = await Promise.race([Promise.all(ready), timeout.then((r) => [r])]);
    clearTimeout(timer);
    for (const r of all) if (r.isErr()) return r;
    const names = (all[0] as Result<string[]>).unwrapOr([] as string[]);
    if (names.length === 0) return configError(`the task module ${this.#module} exports no function`, 'module', this.#module);
    if (names.length > 65_535) return configError('a task module may export at most 65,535 tasks', 'module', this.#module);
    this.#taskNames = names;
    this.#taskIndex = new Map(names.map((t, i) => [t, i]));
    this.#unref();
    return ok();
  }

  #spawn(index: number): Promise<Result<string[]>> {
    const slotBuffer = new SharedArrayBuffer(slotWords(this.#batchSize) * 4);
    const lanes = this.#workerLanes[index % this.#workerLanes.length] as number[];
    const data: PoolWorkerData = {
      module: this.#module,
      lanes: lanes.map((i) => ({ index: i, queue: (this.#queues[i] as BoundedQueue).handle })),
      results: this.#results.handle,
      control: this.#control,
      slot: slotBuffer,
      batchSize: this.#batchSize,
      share: this.#workerLanes.length,
      agingMs: this.#lanes.agingMs,
      idleWaitMs: this.#idleWaitMs,
    };
    const worker = newWorker(data);
    const entry: PoolWorker = {
      worker,
      slot: new Int32Array(slotBuffer),
      slotBuffer,
      lanes,
      endedBy: undefined,
      exited: new Promise<void>((r) => worker.once('exit', () => r())),
    };
    this.#workers.push(entry);
    if (!this.#referenced) worker.unref();
    return new Promise<Result<string[]>>((resolve) => {
      worker.on('message', (m: PoolWorkerMessage) => {
        if (m.type === 'results') this.#drainResults();
        else if (m.type === 'ready') resolve(ok(m.tasks));
        else if (m.type === 'load-error') resolve(configError(`the task module ${this.#module} failed to load: ${m.message}`, 'module', this.#module));
      });
      worker.on('error', (e) => {
        this.#logger.error({ executor: this.name, threadId: worker.threadId, err: e }, 'a pool worker failed');
        resolve(err(new MessagingError(ErrorCode.WORKER_CRASHED, `a worker failed: ${e.message}`, { cause: e })));
      });
      worker.on('exit', (code) => {
        resolve(err(new MessagingError(ErrorCode.WORKER_CRASHED, `a worker exited with code ${code} before it was ready`)));
        this.#onExit(entry, code);
      });
    });
  }

  /** Queues task `job` in its lane; resolves with its Result. Functions are refused: they cannot cross threads. */
  submit<T>(job: Job<T>, options?: JobOptions): Promise<Result<T>> {
    if (this.#closed) return Promise.resolve(err(shutdownError(this.name)));
    if (!isTask(job)) {
      if (typeof job === 'function') {
        return Promise.resolve(
          err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `worker pool ${this.name} runs tasks of its module; submit { task, data } (tasks: ${this.#taskNames.join(', ')})`)),
        );
      }
      return Promise.resolve(err(notAJob(job)));
    }
    const task = this.#taskIndex.get(job.task);
    if (task === undefined) {
      return Promise.resolve(err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `unknown task ${JSON.stringify(job.task)} (tasks: ${this.#taskNames.join(', ')})`)));
    }
    const lane = this.#lanes.lookup(options?.lane);
    if (lane < 0) return Promise.resolve(err(unknownLane(options?.lane as string, this.#lanes.names)));
    let timeoutMs = this.#timeoutMs;
    if (options?.timeoutMs !== undefined) {
      const t = checkTimeout(options.timeoutMs, this.#timeoutMs);
      if (t.isErr()) return Promise.resolve(t);
      timeoutMs = t.value;
    }
    if (!this.#flushScheduled) {
      this.#clock = performance.now();
      this.#flushScheduled = true;
      queueMicrotask(this.#flushFn);
    }
    return new Promise<Result<T>>((resolve) => {
      const r = this.#enqueue(resolve as (r: Result<unknown>) => void, 0, task, job.data, lane, timeoutMs);
      if (r !== undefined) resolve(r as Result<T>);
    });
  }

  /**
   * Runs task `task` once for each of `items`, as one group: one promise for the lot, resolved
   * with the Result of each job in order once all have settled. The cheap way to submit many
   * small jobs (no promise per job).
   */
  submitMany<T = unknown>(task: string, items: readonly unknown[], options?: JobOptions): Promise<Result<Result<T>[]>> {
    if (this.#closed) return Promise.resolve(err(shutdownError(this.name)));
    if (!Array.isArray(items)) return Promise.resolve(err(new MessagingError(ErrorCode.INVALID_ARGUMENT, 'items must be an array')));
    const index = this.#taskIndex.get(task);
    if (index === undefined) {
      return Promise.resolve(err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `unknown task ${JSON.stringify(task)} (tasks: ${this.#taskNames.join(', ')})`)));
    }
    const lane = this.#lanes.lookup(options?.lane);
    if (lane < 0) return Promise.resolve(err(unknownLane(options?.lane as string, this.#lanes.names)));
    const t = checkTimeout(options?.timeoutMs, this.#timeoutMs);
    if (t.isErr()) return Promise.resolve(t);
    if (items.length === 0) return Promise.resolve(ok([]));
    return new Promise<Result<Result<T>[]>>((resolve) => {
      const group: Group = { results: Array.from<Result<unknown>>({ length: items.length }), left: items.length, resolve: resolve as Group['resolve'] };
      for (let i = 0; i < items.length; i++) {
        if (!this.#flushScheduled) {
          this.#clock = performance.now();
          this.#flushScheduled = true;
          queueMicrotask(this.#flushFn);
        }
        const r = this.#enqueue(group, i, index, items[i], lane, t.value);
        if (r !== undefined) {
          group.results[i] = r;
          if (--group.left === 0) resolve(ok(group.results as Result<T>[]));
        }
      }
    });
  }

  /** Stages one job; returns an error Result when it cannot be staged. */
  #enqueue(target: ((r: Result<unknown>) => void) | Group, index: number, task: number, data: unknown, lane: number, timeoutMs: number): Result<unknown> | undefined {
    const deadline = timeoutMs > 0 ? this.#clock + timeoutMs : 0;
    const id = this.#pending.add(target, index, task, data, lane, deadline);
    if (id < 0) return err(new MessagingError(ErrorCode.QUEUE_FULL, `worker pool ${this.name} has too many jobs pending`));
    const writer = this.#writers[lane] as BatchWriter;
    try {
      writer.writeJob(id, task, data);
    } catch (e) {
      this.#pending.settle(id, err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `the job's data cannot be copied to a worker: ${(e as Error)?.message ?? String(e)}`, { cause: e })));
      return undefined;
    }
    this.#staged++;
    if (!this.#referenced) this.#ref();
    if (deadline > 0) {
      let list = this.#deadlines.get(timeoutMs);
      if (list === undefined) {
        this.#deadlines.set(timeoutMs, (list = { ids: new Fifo<number>(1024), ats: new Fifo<number>(1024) }));
        if (this.#sweeper !== undefined) {
          clearInterval(this.#sweeper);
          this.#sweeper = undefined;
        }
      }
      list.ids.push(id);
      list.ats.push(deadline);
      if (this.#sweeper === undefined) this.#startSweeper();
    }
    if (writer.count >= this.#batchSize) this.#flush();
    return undefined;
  }

  /** Moves staged jobs into the native queues (one call per lane) and wakes sleeping workers. */
  #flush(): void {
    this.#flushScheduled = false;
    if (this.#staged === 0) return;
    this.#clock = performance.now();
    let pushed = 0;
    let left = 0;
    for (let lane = 0; lane < this.#writers.length; lane++) {
      const w = this.#writers[lane] as BatchWriter;
      if (w.count === 0) continue;
      const r = (this.#queues[lane] as BoundedQueue).pushBatch(w.bytes, w.lens, w.count);
      const n = r.isOk() ? r.value : 0;
      pushed += n;
      w.consume(n);
      if (w.count > 0 && (this.#reject || r.isErr())) this.#refuseStaged(w, r.isErr() ? r.error : undefined);
      left += w.count;
    }
    this.#staged = left;
    if (pushed > 0) {
      Atomics.add(this.#ctl, CTL_SEQ, 1);
      if (Atomics.load(this.#ctl, CTL_SLEEPERS) > 0) Atomics.notify(this.#ctl, CTL_SEQ);
    }
    if (left > 0 && this.#retry === undefined) {
      // Full under `block`: results arriving retry at once; this timer covers a quiet pool.
      this.#retry = setTimeout(() => {
        this.#retry = undefined;
        this.#flush();
      }, 1);
    }
  }

  #refuseStaged(w: BatchWriter, cause: MessagingError | undefined): void {
    const view = new DataView(w.bytes.buffer);
    let at = 0;
    for (let i = 0; i < w.count; i++) {
      const id = view.getUint32(at, true);
      at += w.lens[i] as number;
      const error =
        cause ??
        new MessagingError(ErrorCode.QUEUE_FULL, `lane queue of worker pool ${this.name} is full`, { details: { capacity: (this.#queues[0] as BoundedQueue).capacity } });
      this.#settle(id, err(error));
    }
    w.consume(w.count);
  }

  #settle(id: number, result: Result<unknown>): void {
    if (!this.#pending.settle(id, result)) return;
    this.#completed++;
    if (this.#pending.size === 0) this.#whenIdle();
  }

  #whenIdle(): void {
    this.#unref();
    if (this.#idle.length > 0) for (const w of this.#idle.splice(0)) w();
  }

  /** Takes every result waiting in the results queue and settles its job. */
  #drainResults(): void {
    Atomics.store(this.#ctl, CTL_NOTIFY, 0);
    const out = this.#out;
    const view = this.#outView;
    const lens = this.#outLens;
    const pending = this.#pending;
    for (;;) {
      const r = this.#results.popBatch(out, lens, lens.length);
      if (r.isErr() || r.value === 0) break;
      let at = 0;
      for (let i = 0; i < r.value; i++) {
        const end = at + (lens[i] as number);
        const id = view.getUint32(at, true);
        if (pending.has(id)) {
          let value: unknown;
          try {
            value = readValue(out, view, at + 5, end);
          } catch (e) {
            value = { message: (e as Error).message, name: 'Error' };
          }
          pending.settle(id, out[at + 4] === STATUS_OK ? ok(value) : err(failure(value)));
          this.#completed++;
        }
        at = end;
      }
    }
    if (this.#staged > 0) this.#flush();
    if (pending.size === 0) this.#whenIdle();
  }

  #startSweeper(): void {
    let shortest = Number.POSITIVE_INFINITY;
    for (const t of this.#deadlines.keys()) shortest = Math.min(shortest, t);
    const tick = Math.min(50, Math.max(1, Math.floor(shortest / 4)));
    this.#sweeper = setInterval(() => this.#sweep(), tick);
    this.#sweeper.unref();
  }

  /** Fails jobs past their deadline; replaces a worker stuck in one. */
  #sweep(): void {
    const now = performance.now();
    let left = 0;
    for (const [timeoutMs, list] of this.#deadlines) {
      const { ids, ats } = list;
      while (ids.size > 0) {
        const id = ids.peek() as number;
        const at = ats.peek() as number;
        const deadline = this.#pending.deadline(id);
        if (deadline === at && at > now) break;
        ids.shift();
        ats.shift();
        if (deadline !== at) continue;
        this.#settle(id, err(timeoutError(timeoutMs)));
        for (const w of this.#workers) {
          if (w.endedBy === undefined && w.slot[SLOT_BUSY] === 1 && (w.slot[SLOT_CURRENT] as number) >>> 0 === id) {
            w.endedBy = 'timeout';
            this.#logger.warn({ executor: this.name, threadId: w.worker.threadId, job: id }, 'a job ran past its time limit; replacing its worker');
            void w.worker.terminate();
          }
        }
      }
      if (ids.size === 0) this.#deadlines.delete(timeoutMs);
      left += ids.size;
    }
    if (left === 0 && this.#sweeper !== undefined) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    }
  }

  /** A worker exited: replace it, fail the job it was running and run the rest of its batch again. */
  #onExit(entry: PoolWorker, code: number): void {
    const at = this.#workers.indexOf(entry);
    if (at >= 0) this.#workers.splice(at, 1);
    if (entry.endedBy === 'shutdown') return;
    this.#drainResults();
    const slot = entry.slot;
    const count = slot[SLOT_COUNT] as number;
    const busy = slot[SLOT_BUSY] === 1;
    const current = (slot[SLOT_CURRENT] as number) >>> 0;
    let rerun = 0;
    for (let i = 0; i < count; i++) {
      const id = (slot[SLOT_IDS + i] as number) >>> 0;
      const p = this.#pending.job(id);
      if (p === undefined) continue;
      if (busy && id === current) {
        this.#settle(
          id,
          err(new MessagingError(ErrorCode.WORKER_CRASHED, `the worker running this job exited (code ${code}); it was replaced`, { details: { exitCode: code } })),
        );
      } else {
        (this.#writers[p.lane] as BatchWriter).writeJob(id, p.task, p.data);
        this.#staged++;
        rerun++;
      }
    }
    if (entry.endedBy !== 'timeout') this.#logger.error({ executor: this.name, exitCode: code, rerun }, 'a pool worker died; replacing it');
    if (this.#closed) return;
    const now = performance.now();
    this.#respawns = this.#respawns.filter((t) => now - t < 1_000);
    if (this.#respawns.length >= 16) {
      // Workers die as fast as they start (a module that no longer loads): stop the loop.
      this.#logger.fatal({ executor: this.name }, 'pool workers keep dying at start; not replacing them any more');
      if (this.#workers.length === 0) this.#pending.settleAll(err(new MessagingError(ErrorCode.WORKER_CRASHED, `every worker of pool ${this.name} died`)));
      return;
    }
    this.#respawns.push(now);
    void this.#spawn(at < 0 ? this.#workers.length : at);
    if (rerun > 0) this.#flush();
  }

  #ref(): void {
    this.#referenced = true;
    for (const w of this.#workers) w.worker.ref();
  }

  #unref(): void {
    this.#referenced = false;
    for (const w of this.#workers) w.worker.unref();
  }

  /**
   * Refuses new jobs (EXECUTOR_SHUTDOWN). With `drain` (default) waits for queued and running
   * jobs up to `timeoutMs` (default 10,000); jobs still pending then resolve with
   * EXECUTOR_SHUTDOWN and count as abandoned. Then the workers stop and the queues are freed.
   */
  async shutdown(options: { drain?: boolean; timeoutMs?: number } = {}): Promise<Result<ShutdownReport>> {
    if (this.#closed) return ok({ completed: 0, abandoned: 0 });
    this.#closed = true;
    const before = this.#completed;
    this.#flush();
    if ((options.drain ?? true) && this.#pending.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#idle.push(resolve);
        timer = setTimeout(resolve, options.timeoutMs ?? 10_000);
      });
      clearTimeout(timer);
    }
    const completed = this.#completed - before;
    const abandoned = this.#pending.size;
    const error = err(shutdownError(this.name));
    this.#pending.settleAll(error);
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    await this.#stopWorkers();
    this.#releaseQueues();
    return ok({ completed, abandoned });
  }

  async #stopWorkers(): Promise<void> {
    Atomics.store(this.#ctl, CTL_STOP, 2);
    Atomics.add(this.#ctl, CTL_SEQ, 1);
    Atomics.notify(this.#ctl, CTL_SEQ);
    const workers = [...this.#workers];
    for (const w of workers) {
      w.endedBy = 'shutdown';
      w.worker.ref();
    }
    // The timer keeps the event loop alive while the threads stop, and bounds the wait.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(workers.map((w) => w.worker.terminate().then(() => w.exited))),
      new Promise<void>((r) => (timer = setTimeout(r, 5_000))),
    ]);
    clearTimeout(timer);
  }

  #releaseQueues(): void {
    for (const q of this.#queues) q.release();
    this.#results.release();
  }
}

/** The error of a job that failed in a worker: its MessagingError code when it had one, else JOB_FAILED. */
function failure(value: unknown): MessagingError {
  const v = (value ?? {}) as { message?: unknown; name?: unknown; code?: unknown };
  const message = typeof v.message === 'string' ? v.message : String(value);
  const code = typeof v.code === 'number' && errorName(v.code as never) !== undefined ? (v.code as number) : ErrorCode.JOB_FAILED;
  return new MessagingError(code as never, message, { details: { name: v.name } });
}
