/**
 * The interfaces that parts of the system implement and inject into each other through the
 * ServiceRegistry. Only shapes live here; implementations live in their own folders.
 */
import type { Result } from './result.js';

/** Options of one job submitted to an executor. */
export interface JobOptions {
  /** The lane the job runs in (e.g. `realtime`, `batch`, `background`). */
  lane?: string;
  /** Time limit of the job in ms; past it the job fails with JOB_TIMEOUT. */
  timeoutMs?: number;
}

/** What a shutdown left undone. */
export interface ShutdownReport {
  /** Jobs finished during the drain. */
  completed: number;
  /** Jobs still queued or running when the drain timed out. */
  abandoned: number;
}

/** A job a task module runs: the name of one of its exports and the value it is called with. */
export interface TaskJob {
  /** Name of the task (an export of the executor's task module, or a key of its task table). */
  readonly task: string;
  /** The argument of the task; crosses to a worker thread as a copy. */
  readonly data?: unknown;
}

/**
 * What an executor runs: a function (in-process executors) or a task (every executor; worker
 * pools run tasks only, since a closure cannot cross to another thread).
 */
export type Job<T> = (() => T | Result<T> | Promise<T | Result<T>>) | TaskJob;

/** Runs jobs: on the event loop, inline, or on worker threads. */
/** Workers of an executor running a job and waiting for one (the executor gauges). */
export interface WorkerUsage {
  busy: number;
  idle: number;
}

export interface Executor {
  /** A short name for logs and metrics. */
  readonly name: string;
  /** Workers running a job and waiting for one, for executors that have workers to count. */
  workerUsage?(): WorkerUsage;
  /**
   * Runs `job` and resolves with its result; never rejects. A job that throws or rejects gives
   * JOB_FAILED, one that returns a `Result` gives that result as it is.
   */
  submit<T>(job: Job<T>, options?: JobOptions): Promise<Result<T>>;
  /** Stops accepting jobs; with `drain` it finishes queued work first, up to `timeoutMs`. */
  shutdown(options?: { drain?: boolean; timeoutMs?: number }): Promise<Result<ShutdownReport>>;
}

/** Log levels, lowest first. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** A log method: a message, or structured fields then a message. */
export interface LogFn {
  (message: string): void;
  (fields: Record<string, unknown>, message?: string): void;
}

/** A structured logger (the pino implementation lives in ts/observability). */
export interface Logger {
  /** The current level; writable to change it live. */
  level: LogLevel;
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
}

/** Labels of a metric sample. */
export type MetricLabels = Record<string, string | number>;

/** Records metrics (the prom-client implementation lives in ts/observability). */
export interface Monitor {
  /** Adds `value` (default 1) to a counter. */
  increment(name: string, value?: number, labels?: MetricLabels): void;
  /** Sets a gauge. */
  gauge(name: string, value: number, labels?: MetricLabels): void;
  /** Records one observation in a histogram (e.g. a latency in seconds). */
  observe(name: string, value: number, labels?: MetricLabels): void;
}

/** A SQL database: Postgres through `postgres`, or embedded PGlite. */
export interface Database {
  /** `postgresql` or `pglite`. */
  readonly engine: 'postgresql' | 'pglite';
  /** Runs one parameterised statement and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Result<Row[]>>;
  /** Runs `fn` in a transaction; an `Err` result or an exception rolls it back. */
  transaction<T>(fn: (tx: Database) => Promise<Result<T>>): Promise<Result<T>>;
  /** Releases every connection. */
  close(): Promise<Result<void>>;
}

const noop = (): void => {};

/** A logger that writes nothing: the default where none is injected. */
export const NO_LOGGER: Logger = (() => {
  const logger: Logger = {
    level: 'silent',
    trace: noop,
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    fatal: noop,
    child: () => logger,
  };
  return logger;
})();
