/**
 * QueueConsumer: a loop over a durable queue that claims a batch, extends its lease while the
 * handler works, and settles the batch: completed on Ok, failed (retry or dead letter) on Err or an
 * exception. A database error pauses the loop for a poll interval; it never stops on its own and
 * never settles a batch the handler did not finish.
 */
import type { Logger } from '../core/interfaces.js';
import type { Metrics } from '../observability/metrics.js';
import { TraceContext } from '../observability/trace-context.js';
import { type MessagingError, toMessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import type { PersistentMessageQueue, QueueEntry } from './persistent-message-queue.js';
import { MAX_BATCH, checkInt } from './queue-options.js';

/** Handles one claimed batch; Ok (or nothing) completes it, Err or a throw fails it. */
export type BatchHandler = (entries: QueueEntry[]) => Promise<Result<unknown> | void> | Result<unknown> | void;

/** A batch outcome naming the entries that failed; the consumer completes the others. */
export class PartialFailure {
  constructor(
    readonly failedIds: readonly number[],
    readonly error: MessagingError,
  ) {}
}

/** How a consumer claims. */
export interface ConsumeOptions {
  /** Messages per claim (default 100). */
  batchSize?: number;
  /** Lease of each claim in ms (default: the queue's). */
  leaseMs?: number;
  /** Extend the lease every leaseMs/2 while the handler runs (default true). */
  extendLease?: boolean;
}

/** What a consumer has done so far. */
export interface QueueConsumerStats {
  batches: number;
  completed: number;
  failed: number;
  errors: number;
}

/** A running consume loop; `stop` ends it after the batch in hand. */
export class QueueConsumer {
  readonly stats: QueueConsumerStats = { batches: 0, completed: 0, failed: 0, errors: 0 };
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  #wakeStop: () => void = () => {};
  readonly #stopped: Promise<void>;
  #batchSize = 100;
  #leaseMs = 0;

  constructor(
    private readonly queue: PersistentMessageQueue,
    private readonly handler: BatchHandler,
    private readonly options: ConsumeOptions,
    private readonly logger: Logger,
    private readonly onStop: () => void,
    private readonly metrics?: Metrics,
  ) {
    this.#stopped = new Promise((resolve) => {
      this.#wakeStop = resolve;
    });
  }

  /** Checks the options and starts the loop. */
  start(): Result<void> {
    const size = checkInt('batchSize', this.options.batchSize ?? 100, 1, MAX_BATCH);
    if (size.isErr()) return size;
    const lease = checkInt('leaseMs', this.options.leaseMs ?? this.queue.options.leaseMs, 1, 2_147_483_647);
    if (lease.isErr()) return lease;
    this.#batchSize = size.value;
    this.#leaseMs = lease.value;
    this.#running = true;
    this.#loop = this.#run();
    return ok();
  }

  async #pause(ms: number, seq?: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = seq === undefined ? new Promise<void>((r) => (timer = setTimeout(r, ms))) : this.queue.waitForWork(seq, ms);
    await Promise.race([waited, this.#stopped]);
    if (timer) clearTimeout(timer);
  }

  async #run(): Promise<void> {
    const poll = this.queue.options.pollIntervalMs;
    while (this.#running) {
      const seq = this.queue.wakeSeq;
      const got = await this.queue.dequeueBatch(this.#batchSize, { leaseMs: this.#leaseMs });
      if (!this.#running && got.isOk() && got.value.length === 0) break;
      if (got.isErr()) {
        if (got.error.codeName === 'QUEUE_CLOSED') break;
        this.stats.errors++;
        this.metrics?.recordError(got.error);
        this.logger.warn({ err: got.error }, 'dequeue failed; retrying after the poll interval');
        await this.#pause(poll);
        continue;
      }
      const entries = got.value;
      if (entries.length === 0) {
        await this.#pause(poll, seq);
        continue;
      }
      await this.#traced(entries);
    }
  }

  /**
   * Handles and settles a batch in the trace context of its messages: one message gives its own
   * context; messages of one trace share it; a batch mixing traces runs without one (its handler
   * can enter each message's context with `TraceContext.runMessage`).
   */
  #traced(entries: QueueEntry[]): Promise<void> {
    const first = entries[0]?.message.header;
    const traceId = first?.traceId;
    if (first === undefined || traceId == null) return this.#handle(entries);
    const handle = () => this.#handle(entries);
    if (entries.length === 1) return TraceContext.runMessage(first, handle, undefined, undefined);
    for (const e of entries) if (e.message.header.traceId !== traceId) return this.#handle(entries);
    return TraceContext.run({ traceId, topic: first.topic }, handle);
  }

  async #handle(entries: QueueEntry[]): Promise<void> {
    const ids = entries.map((e) => e.id);
    const extender =
      this.options.extendLease === false
        ? undefined
        : setInterval(() => {
            void this.queue.extendLease(ids, this.#leaseMs);
          }, Math.max(1, Math.floor(this.#leaseMs / 2)));
    let outcome: Result<unknown> | void;
    try {
      outcome = await this.handler(entries);
    } catch (e) {
      outcome = err(toMessagingError(e));
    } finally {
      if (extender) clearInterval(extender);
    }
    this.stats.batches++;
    if (outcome && outcome.isOk() && outcome.value instanceof PartialFailure && outcome.value.failedIds.length > 0) {
      await this.#settlePartly(ids, outcome.value);
      return;
    }
    if (outcome && outcome.isErr()) {
      const failed = await this.queue.markFailed(ids, outcome.error);
      if (failed.isErr()) {
        this.stats.errors++;
        this.logger.warn({ err: failed.error }, 'markFailed failed; the leases will expire and the batch will be retried');
      } else this.stats.failed += ids.length;
      return;
    }
    const done = await this.queue.markCompleted(ids);
    if (done.isErr()) {
      this.stats.errors++;
      this.logger.warn({ err: done.error }, 'markCompleted failed; the leases will expire and the batch will be delivered again');
    } else {
      this.stats.completed += done.value;
      this.logger.debug({ ids }, 'batch completed');
    }
  }

  async #settlePartly(ids: number[], partial: PartialFailure): Promise<void> {
    const failed = new Set(partial.failedIds);
    const completed = ids.filter((id) => !failed.has(id));
    const [f, c] = await Promise.all([
      this.queue.markFailed([...failed], partial.error),
      completed.length > 0 ? this.queue.markCompleted(completed) : Promise.resolve(ok(0)),
    ]);
    if (f.isErr() || c.isErr()) {
      this.stats.errors++;
      this.logger.warn({ err: (f.isErr() ? f.error : c.isErr() ? c.error : undefined)?.message }, 'settling a batch failed; the leases will expire and the batch will be delivered again');
      return;
    }
    this.stats.failed += failed.size;
    this.stats.completed += c.value;
  }

  /** Ends the loop after the batch in hand is settled. */
  async stop(): Promise<Result<void>> {
    this.#running = false;
    this.#wakeStop();
    await this.#loop;
    this.onStop();
    return ok();
  }
}
