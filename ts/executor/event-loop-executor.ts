/**
 * EventLoopExecutor: runs jobs on the Node event loop in batches (up to `batchSize` jobs per
 * turn; a turn starts as a microtask when the executor was idle, and it yields to I/O with
 * setImmediate when work is left over or after 64 microtask turns in a row), with typed lanes in strict priority plus
 * optional aging, and a limit on async jobs in flight. For I/O-bound and short work: a job that
 * blocks the thread blocks everything, so CPU work belongs on a WorkerPoolExecutor. A job that
 * throws, rejects, returns Err or hangs (async, past its time limit) never stops the executor.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError } from '../core/errors.js';
import type { Executor, Job, JobOptions, ShutdownReport, WorkerUsage } from '../core/interfaces.js';
import { type Result, err, ok } from '../core/result.js';
import { Fifo } from './fifo.js';
import { type TaskTable, checkTimeout, failed, isThenable, notAJob, runHere, settled, shutdownError, timeoutError } from './job-outcome.js';
import { type LaneOptions, Lanes, unknownLane } from './lanes.js';

/** Consecutive microtask turns before the executor yields to I/O with setImmediate. */
const MAX_MICRO_TURNS = 64;

/** CONFIG_ERROR unless `v` is undefined or an integer >= 1 (or Infinity). */
function positive(key: string, v: unknown): MessagingError | undefined {
  return v === undefined || (typeof v === 'number' && (Number.isInteger(v) || v === Number.POSITIVE_INFINITY) && v >= 1)
    ? undefined
    : new MessagingError(ErrorCode.CONFIG_ERROR, `${key} must be an integer >= 1, got ${String(v)}`, { details: { key, value: v } });
}

/** Options of an EventLoopExecutor. */
export interface EventLoopExecutorOptions extends LaneOptions {
  /** Name in logs (default `event-loop`). */
  name?: string;
  /** Most jobs run in one event-loop turn before yielding (default 256). */
  batchSize?: number;
  /** Most async jobs in flight at once (default 64). */
  concurrency?: number;
  /** Time limit of async jobs in ms (default 30,000; 0 = none). A sync job cannot be interrupted. */
  jobTimeoutMs?: number;
  /** Most jobs waiting; past it `submit` gives QUEUE_FULL (default unbounded). */
  maxQueued?: number;
  /** Functions run by `{ task, data }` jobs. */
  tasks?: TaskTable;
}

interface Entry {
  job: Job<unknown>;
  resolve: (r: Result<unknown>) => void;
  timeoutMs: number;
  at: number;
}

/** Runs jobs on the event loop, a batch per turn. */
export class EventLoopExecutor implements Executor {
  readonly name: string;
  readonly #lanes: Lanes;
  readonly #queues: Fifo<Entry>[];
  readonly #batchSize: number;
  readonly #concurrency: number;
  readonly #timeoutMs: number;
  readonly #maxQueued: number;
  readonly #tasks: TaskTable | undefined;
  readonly #aging: boolean;
  #queued = 0;
  #inflight = 0;
  #completed = 0;
  #scheduled = false;
  #microTurns = 0;
  #closed = false;
  #idle: (() => void)[] = [];
  readonly #turn = () => this.#drain();

  private constructor(options: EventLoopExecutorOptions, lanes: Lanes) {
    this.name = options.name ?? 'event-loop';
    this.#lanes = lanes;
    this.#queues = lanes.names.map(() => new Fifo<Entry>(64));
    this.#batchSize = options.batchSize ?? 256;
    this.#concurrency = options.concurrency ?? 64;
    this.#timeoutMs = options.jobTimeoutMs ?? 30_000;
    this.#maxQueued = options.maxQueued ?? Number.POSITIVE_INFINITY;
    this.#tasks = options.tasks;
    this.#aging = lanes.agingMs > 0;
  }

  /** A new executor; CONFIG_ERROR for bad lanes, batch size, concurrency or limits. */
  static create(options: EventLoopExecutorOptions = {}): Result<EventLoopExecutor> {
    const lanes = Lanes.resolve(options);
    if (lanes.isErr()) return lanes;
    const bad = positive('batchSize', options.batchSize) ?? positive('concurrency', options.concurrency) ?? positive('maxQueued', options.maxQueued);
    if (bad) return err(bad);
    const t = checkTimeout(options.jobTimeoutMs, 30_000);
    if (t.isErr()) return err(new MessagingError(ErrorCode.CONFIG_ERROR, t.error.message, { details: { key: 'jobTimeoutMs' } }));
    return ok(new EventLoopExecutor(options, lanes.value));
  }

  /** Jobs waiting to start. */
  get queued(): number {
    return this.#queued;
  }

  /** Async jobs started and not yet settled. */
  get inflight(): number {
    return this.#inflight;
  }

  /** The event loop as one worker: busy while jobs wait or run, else idle. */
  workerUsage(): WorkerUsage {
    const busy = this.#queued > 0 || this.#inflight > 0 ? 1 : 0;
    return { busy, idle: 1 - busy };
  }

  /** Queues `job` in its lane; resolves with its Result once it has run. */
  submit<T>(job: Job<T>, options?: JobOptions): Promise<Result<T>> {
    if (this.#closed) return Promise.resolve(err(shutdownError(this.name)));
    const lane = this.#lanes.lookup(options?.lane);
    if (lane < 0) return Promise.resolve(err(unknownLane(options?.lane as string, this.#lanes.names)));
    if (typeof job !== 'function' && (typeof job !== 'object' || job === null)) return Promise.resolve(err(notAJob(job)));
    let timeoutMs = this.#timeoutMs;
    if (options?.timeoutMs !== undefined) {
      const t = checkTimeout(options.timeoutMs, this.#timeoutMs);
      if (t.isErr()) return Promise.resolve(t);
      timeoutMs = t.value;
    }
    if (this.#queued >= this.#maxQueued) {
      return Promise.resolve(
        err(new MessagingError(ErrorCode.QUEUE_FULL, `executor ${this.name} has ${this.#queued} jobs waiting (maxQueued)`, { details: { maxQueued: this.#maxQueued } })),
      );
    }
    return new Promise<Result<T>>((resolve) => {
      (this.#queues[lane] as Fifo<Entry>).push({
        job,
        resolve: resolve as (r: Result<unknown>) => void,
        timeoutMs,
        at: this.#aging ? performance.now() : 0,
      });
      this.#queued++;
      if (!this.#scheduled) this.#schedule();
    });
  }

  /**
   * Work arriving at an idle executor runs in a microtask (low latency); a drain that leaves
   * work behind, or a long chain of microtask turns, continues with setImmediate so I/O runs.
   */
  #schedule(yieldToIo = false): void {
    this.#scheduled = true;
    if (!yieldToIo && this.#microTurns < MAX_MICRO_TURNS) {
      this.#microTurns++;
      queueMicrotask(this.#turn);
    } else {
      this.#microTurns = 0;
      setImmediate(this.#turn);
    }
  }

  #next(): Entry | undefined {
    const queues = this.#queues;
    if (this.#aging) {
      const now = performance.now();
      for (let i = queues.length - 1; i > 0; i--) {
        const head = (queues[i] as Fifo<Entry>).peek();
        if (head !== undefined && now - head.at >= this.#lanes.agingMs) return (queues[i] as Fifo<Entry>).shift();
      }
    }
    for (let i = 0; i < queues.length; i++) {
      const q = queues[i] as Fifo<Entry>;
      if (q.size > 0) return q.shift();
    }
    return undefined;
  }

  #drain(): void {
    this.#scheduled = false;
    let budget = this.#batchSize;
    while (budget-- > 0 && this.#queued > 0 && this.#inflight < this.#concurrency) {
      const entry = this.#next() as Entry;
      this.#queued--;
      this.#run(entry);
    }
    if (this.#queued > 0 && this.#inflight < this.#concurrency) this.#schedule(true);
    else if (this.#queued === 0 && this.#inflight === 0 && this.#idle.length > 0) for (const w of this.#idle.splice(0)) w();
  }

  #run(entry: Entry): void {
    let value: unknown;
    try {
      value = runHere(entry.job, this.#tasks);
    } catch (e) {
      this.#completed++;
      entry.resolve(failed(e));
      return;
    }
    if (!isThenable(value)) {
      this.#completed++;
      entry.resolve(settled(value));
      return;
    }
    this.#inflight++;
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (r: Result<unknown>) => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      this.#inflight--;
      this.#completed++;
      entry.resolve(r);
      if (this.#queued > 0) {
        if (!this.#scheduled) this.#schedule();
      } else if (this.#inflight === 0 && this.#idle.length > 0) for (const w of this.#idle.splice(0)) w();
    };
    if (entry.timeoutMs > 0) timer = setTimeout(() => finish(err(timeoutError(entry.timeoutMs))), entry.timeoutMs);
    value.then(
      (v) => finish(settled(v)),
      (e: unknown) => finish(failed(e)),
    );
  }

  /**
   * Refuses new jobs (EXECUTOR_SHUTDOWN). With `drain` (default) runs what is queued and waits
   * for async jobs, up to `timeoutMs` (default 10,000); whatever is left is abandoned: queued
   * jobs resolve with EXECUTOR_SHUTDOWN, running ones keep running unobserved.
   */
  async shutdown(options: { drain?: boolean; timeoutMs?: number } = {}): Promise<Result<ShutdownReport>> {
    this.#closed = true;
    const before = this.#completed;
    if ((options.drain ?? true) && (this.#queued > 0 || this.#inflight > 0)) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#idle.push(resolve);
        timer = setTimeout(resolve, options.timeoutMs ?? 10_000);
      });
      clearTimeout(timer);
    }
    const abandoned = this.#queued + this.#inflight;
    const error = err(shutdownError(this.name));
    for (const q of this.#queues) for (const e of q.drain()) e.resolve(error);
    this.#queued = 0;
    return ok({ completed: this.#completed - before, abandoned });
  }
}
