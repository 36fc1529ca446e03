/**
 * Options of a durable queue, their defaults and the argument checks shared by its methods.
 * Checks return INVALID_ARGUMENT naming the argument; nothing here touches the database.
 */
import type { Logger } from '../core/interfaces.js';
import type { Metrics } from '../observability/metrics.js';
import { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';

/** How a queue behaves; every field has a default. */
export interface PersistentQueueOptions {
  /** Postgres schema of the queue's tables (default `messaging`). */
  schema?: string;
  /** Apply pending migrations when opening (default true). */
  migrate?: boolean;
  /** Default lease of a dequeue in ms (default 30 000). */
  leaseMs?: number;
  /** Deliveries before a message goes to the dead letters (default 3, as config `retry.max_attempts`). */
  maxAttempts?: number;
  /** Delay before each retry in ms, by attempt (default [100, 500, 2000]; the last repeats). */
  backoffMs?: readonly number[];
  /** Random spread of each delay, 0..1 (default 0.2: ±20 %). */
  jitter?: number;
  /** Largest encoded message accepted, in bytes (default 1 MiB). */
  maxMessageBytes?: number;
  /** Consumers look for work at least this often, in ms, when no wake-up arrives (default 1 000). */
  pollIntervalMs?: number;
  /** Expired leases are looked for this often, in ms (default 1 000). */
  sweepIntervalMs?: number;
  /** Also append enqueued messages to the topic log, in the same statement (default false). */
  topicLog?: boolean;
  /**
   * Keep completed messages as COMPLETED rows until `purgeCompleted` (default false: a completed
   * message is deleted in the same statement that acknowledges it, as a broker forgets an acked one).
   */
  keepCompleted?: boolean;
  /** Where to log (default: nowhere). */
  logger?: Logger;
  /**
   * The messaging metrics (ts/observability): pending, processing and dead-letter counts of this
   * queue, set by a sampler every sample interval (and by `sampleMetrics`). Default: none recorded.
   */
  metrics?: Metrics;
}

/** The defaults of `PersistentQueueOptions`. */
export const QUEUE_DEFAULTS = {
  schema: 'messaging',
  migrate: true,
  maxAttempts: 3,
  leaseMs: 30_000,
  backoffMs: [100, 500, 2000] as readonly number[],
  jitter: 0.2,
  maxMessageBytes: 1024 * 1024,
  pollIntervalMs: 1000,
  sweepIntervalMs: 1000,
  topicLog: false,
  keepCompleted: false,
} as const;

/** Largest lease or delay in ms (what a Postgres int holds). */
export const MAX_MS = 2_147_483_647;

/** Most rows one dequeue or mark call takes. */
export const MAX_BATCH = 100_000;

/** INVALID_ARGUMENT naming `name`. */
export function invalid(name: string, problem: string, value?: unknown): MessagingError {
  return new MessagingError('INVALID_ARGUMENT', `${name}: ${problem}`, { details: { argument: name, value } });
}

/** `value` when it is an integer in [min, max], else INVALID_ARGUMENT naming it. */
export function checkInt(name: string, value: unknown, min: number, max: number): Result<number> {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return err(invalid(name, `expected an integer from ${min} to ${max}, got ${String(value)}`, value));
  }
  return ok(value);
}

/** The ids when they are an array of positive integers (at most MAX_BATCH), else INVALID_ARGUMENT. */
export function checkIds(ids: unknown): Result<number[]> {
  if (!Array.isArray(ids)) return err(invalid('ids', 'expected an array of ids', ids));
  if (ids.length > MAX_BATCH) return err(invalid('ids', `at most ${MAX_BATCH} ids per call, got ${ids.length}`));
  for (const id of ids) {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
      return err(invalid('ids', `expected positive integer ids, got ${String(id)}`, id));
    }
  }
  return ok(ids as number[]);
}

/** Resolved options with every check done. */
export interface ResolvedPersistentQueueOptions {
  schema: string;
  migrate: boolean;
  leaseMs: number;
  maxAttempts: number;
  backoffMs: number[];
  jitter: number;
  maxMessageBytes: number;
  pollIntervalMs: number;
  sweepIntervalMs: number;
  topicLog: boolean;
  keepCompleted: boolean;
}

/** The retry policy checked: deliveries before the dead letters and the backoff steps. */
export function checkRetryPolicy(policy: { maxAttempts?: number; backoffMs?: readonly number[] }): Result<{ maxAttempts?: number; backoffMs?: number[] }> {
  if (policy.maxAttempts !== undefined) {
    const m = checkInt('maxAttempts', policy.maxAttempts, 1, 1_000_000);
    if (m.isErr()) return m;
  }
  if (policy.backoffMs !== undefined) {
    if (!Array.isArray(policy.backoffMs) || policy.backoffMs.length === 0) return err(invalid('backoffMs', 'needs at least one delay'));
    for (const d of policy.backoffMs) {
      const c = checkInt('backoffMs', d, 0, MAX_MS);
      if (c.isErr()) return c;
    }
  }
  return ok({
    ...(policy.maxAttempts === undefined ? {} : { maxAttempts: policy.maxAttempts }),
    ...(policy.backoffMs === undefined ? {} : { backoffMs: [...policy.backoffMs] }),
  });
}

/** The options with defaults filled in, or INVALID_ARGUMENT naming the first bad one. */
export function resolveOptions(options: PersistentQueueOptions): Result<ResolvedPersistentQueueOptions> {
  const backoffMs = [...(options.backoffMs ?? QUEUE_DEFAULTS.backoffMs)];
  if (backoffMs.length === 0) return err(invalid('backoffMs', 'needs at least one delay'));
  for (const d of backoffMs) {
    const c = checkInt('backoffMs', d, 0, MAX_MS);
    if (c.isErr()) return c;
  }
  const r: ResolvedPersistentQueueOptions = {
    schema: options.schema ?? QUEUE_DEFAULTS.schema,
    migrate: options.migrate ?? QUEUE_DEFAULTS.migrate,
    leaseMs: options.leaseMs ?? QUEUE_DEFAULTS.leaseMs,
    maxAttempts: options.maxAttempts ?? QUEUE_DEFAULTS.maxAttempts,
    backoffMs,
    jitter: options.jitter ?? QUEUE_DEFAULTS.jitter,
    maxMessageBytes: options.maxMessageBytes ?? QUEUE_DEFAULTS.maxMessageBytes,
    pollIntervalMs: options.pollIntervalMs ?? QUEUE_DEFAULTS.pollIntervalMs,
    sweepIntervalMs: options.sweepIntervalMs ?? QUEUE_DEFAULTS.sweepIntervalMs,
    topicLog: options.topicLog ?? QUEUE_DEFAULTS.topicLog,
    keepCompleted: options.keepCompleted ?? QUEUE_DEFAULTS.keepCompleted,
  };
  const checks = [
    checkInt('leaseMs', r.leaseMs, 1, MAX_MS),
    checkInt('maxAttempts', r.maxAttempts, 1, 1_000_000),
    checkInt('maxMessageBytes', r.maxMessageBytes, 1, 1024 * 1024 * 1024),
    checkInt('pollIntervalMs', r.pollIntervalMs, 1, MAX_MS),
    checkInt('sweepIntervalMs', r.sweepIntervalMs, 1, MAX_MS),
  ];
  for (const c of checks) if (c.isErr()) return c;
  if (typeof r.jitter !== 'number' || !(r.jitter >= 0 && r.jitter <= 1)) return err(invalid('jitter', 'expected a number from 0 to 1', r.jitter));
  return ok(r);
}
