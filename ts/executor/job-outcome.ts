/**
 * How a job's outcome becomes a Result, the same way in every executor: a value is Ok, a
 * returned Result passes through, a throw or rejection is JOB_FAILED (a MessagingError keeps
 * its own code). Also the errors every executor reports. It never throws.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError, toMessagingError } from '../core/errors.js';
import type { Job, TaskJob } from '../core/interfaces.js';
import { Err, Ok, type Result, err, ok } from '../core/result.js';

/** Whether `value` is a `Result`. */
export function isResult(value: unknown): value is Result<unknown> {
  return value instanceof Ok || value instanceof Err;
}

/** The Result of a job that returned `value`. */
export function settled<T>(value: unknown): Result<T> {
  return isResult(value) ? (value as Result<T>) : ok(value as T);
}

/** The Result of a job that threw or rejected with `thrown`. */
export function failed(thrown: unknown): Err<MessagingError> {
  return err(toMessagingError(thrown, 'JOB_FAILED'));
}

/** Whether `value` is a promise or another thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** Whether `job` is a task (not a function). */
export function isTask(job: Job<unknown>): job is TaskJob {
  return typeof job === 'object' && job !== null && typeof (job as TaskJob).task === 'string';
}

/** EXECUTOR_SHUTDOWN for a job refused or abandoned by `executor`. */
export function shutdownError(executor: string): MessagingError {
  return new MessagingError(ErrorCode.EXECUTOR_SHUTDOWN, `executor ${executor} is shut down and accepts no more jobs`, { details: { executor } });
}

/** JOB_TIMEOUT for a job that ran past `timeoutMs`. */
export function timeoutError(timeoutMs: number): MessagingError {
  return new MessagingError(ErrorCode.JOB_TIMEOUT, `job ran past its time limit of ${timeoutMs} ms`, { details: { timeoutMs } });
}

/** INVALID_ARGUMENT for something that is not a job. */
export function notAJob(job: unknown): MessagingError {
  return new MessagingError(ErrorCode.INVALID_ARGUMENT, `a job must be a function or { task, data }, got ${typeof job}`);
}

/** Checks a per-job time limit in ms (0 = none); INVALID_ARGUMENT otherwise. */
export function checkTimeout(timeoutMs: number | undefined, fallback: number): Result<number> {
  const t = timeoutMs ?? fallback;
  if (typeof t !== 'number' || !(t >= 0) || t > 2_147_483_647) {
    return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, `timeoutMs must be a number from 0 to 2147483647, got ${String(t)}`));
  }
  return ok(t);
}

/** A table of in-process task functions by name. */
export type TaskTable = Readonly<Record<string, (data: unknown) => unknown>>;

/** Runs `job` in this thread: a function, or a task looked up in `tasks`. Throws what the job throws. */
export function runHere(job: Job<unknown>, tasks: TaskTable | undefined): unknown {
  if (typeof job === 'function') return job();
  if (isTask(job)) {
    const fn = tasks?.[job.task];
    if (typeof fn !== 'function') {
      throw new MessagingError(ErrorCode.INVALID_ARGUMENT, `unknown task ${JSON.stringify(job.task)} (tasks: ${Object.keys(tasks ?? {}).join(', ') || 'none'})`);
    }
    return fn(job.data);
  }
  throw notAJob(job);
}
