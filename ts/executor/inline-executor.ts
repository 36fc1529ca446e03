/**
 * InlineExecutor: runs each job at once, on the caller's stack. For tests, for work too small
 * to be worth a hop, and as the reference behaviour of the other executors. Lanes are checked
 * but there is no queue, so no priority; a job that throws never escapes as an exception.
 */
import type { Executor, Job, JobOptions, ShutdownReport } from '../core/interfaces.js';
import { type Result, err, ok } from '../core/result.js';
import { type TaskTable, checkTimeout, failed, isThenable, notAJob, runHere, settled, shutdownError, timeoutError } from './job-outcome.js';
import { type LaneOptions, Lanes, unknownLane } from './lanes.js';

/** Options of an InlineExecutor. */
export interface InlineExecutorOptions extends LaneOptions {
  /** Name in logs (default `inline`). */
  name?: string;
  /** Functions run by `{ task, data }` jobs. */
  tasks?: TaskTable;
  /** Time limit of async jobs in ms (0 = none, the default); a sync job cannot be interrupted. */
  jobTimeoutMs?: number;
}

/** Runs every job immediately in the calling thread. */
export class InlineExecutor implements Executor {
  readonly name: string;
  readonly #lanes: Lanes;
  readonly #tasks: TaskTable | undefined;
  readonly #timeoutMs: number;
  #closed = false;
  #running = 0;
  #completed = 0;
  #idle: (() => void)[] = [];

  private constructor(options: InlineExecutorOptions, lanes: Lanes, timeoutMs: number) {
    this.name = options.name ?? 'inline';
    this.#lanes = lanes;
    this.#tasks = options.tasks;
    this.#timeoutMs = timeoutMs;
  }

  /** A new inline executor; CONFIG_ERROR for bad lanes. */
  static create(options: InlineExecutorOptions = {}): Result<InlineExecutor> {
    const lanes = Lanes.resolve(options);
    if (lanes.isErr()) return lanes;
    const t = checkTimeout(options.jobTimeoutMs, 0);
    if (t.isErr()) return t;
    return ok(new InlineExecutor(options, lanes.value, t.value));
  }

  /** Runs `job` now; the promise resolves with its Result. */
  submit<T>(job: Job<T>, options?: JobOptions): Promise<Result<T>> {
    if (this.#closed) return Promise.resolve(err(shutdownError(this.name)));
    if (options?.lane !== undefined && this.#lanes.lookup(options.lane) < 0) return Promise.resolve(err(unknownLane(options.lane, this.#lanes.names)));
    if (typeof job !== 'function' && (typeof job !== 'object' || job === null)) return Promise.resolve(err(notAJob(job)));
    const limit = checkTimeout(options?.timeoutMs, this.#timeoutMs);
    if (limit.isErr()) return Promise.resolve(limit);
    let value: unknown;
    try {
      value = runHere(job, this.#tasks);
    } catch (e) {
      this.#completed++;
      return Promise.resolve(failed(e));
    }
    if (!isThenable(value)) {
      this.#completed++;
      return Promise.resolve(settled<T>(value));
    }
    this.#running++;
    return new Promise<Result<T>>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let done = false;
      const finish = (r: Result<T>) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        this.#running--;
        this.#completed++;
        resolve(r);
        if (this.#running === 0) for (const w of this.#idle.splice(0)) w();
      };
      if (limit.value > 0) timer = setTimeout(() => finish(err(timeoutError(limit.value))), limit.value);
      value.then(
        (v) => finish(settled<T>(v)),
        (e: unknown) => finish(failed(e)),
      );
    });
  }

  /** Refuses new jobs; with `drain` (default) waits for running async jobs up to `timeoutMs`. */
  async shutdown(options: { drain?: boolean; timeoutMs?: number } = {}): Promise<Result<ShutdownReport>> {
    this.#closed = true;
    const before = this.#completed;
    if ((options.drain ?? true) && this.#running > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#idle.push(resolve);
        timer = setTimeout(resolve, options.timeoutMs ?? 10_000);
      });
      clearTimeout(timer);
    }
    return ok({ completed: this.#completed - before, abandoned: this.#running });
  }
}
