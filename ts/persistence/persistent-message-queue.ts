/**
 * PersistentMessageQueue: durable at-least-once delivery on Postgres or PGlite. `enqueue`
 * answers only after the rows are committed; `dequeueBatch` claims rows with a lease
 * (FOR UPDATE SKIP LOCKED, priority then age); `markCompleted` and `markFailed` settle them in
 * batches; failed deliveries retry after a jittered backoff and then become dead letters;
 * expired leases are swept back into the queue. It never acknowledges a message that is not
 * committed and never drops one: every message ends acknowledged (deleted, or COMPLETED with
 * keepCompleted) or as a dead letter.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Logger } from '../core/interfaces.js';
import { NO_LOGGER } from '../core/interfaces.js';
import { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import { decode } from '../message/codec/decode.js';
import type { Message } from '../message/message.js';
import type { Metrics } from '../observability/metrics.js';
import { TraceContext } from '../observability/trace-context.js';
import { type DatabaseTarget, type SqlDatabase, openDatabase } from './database.js';
import { DeadLetters } from './dead-letters.js';
import { quoteSchema, wakeChannel } from './identifiers.js';
import { migrateUp } from './migrations.js';
import { Notifier } from './notifier.js';
import { type InTransaction, TopicLog, inputParams } from './offsets.js';
import { type EncodedMessage, encodeOne, encodePayloads, joinPayloads } from './payload-batch.js';
import { EnqueueCoalescer } from './enqueue-coalescer.js';
import {
  MAX_BATCH,
  MAX_MS,
  type PersistentQueueOptions,
  type ResolvedPersistentQueueOptions,
  checkIds,
  checkInt,
  checkRetryPolicy,
  invalid,
  resolveOptions,
} from './queue-options.js';
import { type ClaimedRow, type QueueStatements, type SettledRow, queueStatements } from './statements.js';
import { withTransaction } from './transaction.js';
import { QueueConsumer, type ConsumeOptions, type BatchHandler } from './consumer.js';

/** A claimed message. */
export interface QueueEntry {
  /** The row id: pass it to markCompleted / markFailed / extendLease. */
  id: number;
  message: Message;
  /** Deliveries so far, this one included. */
  attempts: number;
  maxAttempts: number;
  priority: number;
}

/** Options of one enqueue call. */
export interface EnqueueOptions extends InTransaction {
  /** Deliver no earlier than this many ms from now (default 0). */
  delayMs?: number;
  /** Deliveries before the dead letters, for these messages (default: the queue's). */
  maxAttempts?: number;
}

/** Options of one dequeue call. */
export interface DequeueOptions {
  /** The lease in ms (default: the queue's leaseMs). */
  leaseMs?: number;
}

/** Options of markFailed. */
export interface FailOptions extends InTransaction {
  /** Skip the remaining attempts: straight to the dead letters (default false). */
  deadLetter?: boolean;
}

/** What markFailed did. */
export interface FailOutcome {
  /** Ids that will be retried after their backoff. */
  retrying: number[];
  /** Ids moved to the dead letters. */
  deadLettered: number[];
}

/** Rows by status, and the dead letters. */
export interface QueueCounts {
  pending: number;
  processing: number;
  completed: number;
  failed: number;
  dead: number;
}

/** A durable message queue in one schema of a Postgres or PGlite database. */
export class PersistentMessageQueue {
  /** The dead-letter queue. */
  readonly deadLetters: DeadLetters;
  /** The topic log and consumer offsets. */
  readonly topicLog: TopicLog;
  /** Identifies this instance as the holder of its leases. */
  readonly owner = randomUUID();
  readonly #db: SqlDatabase;
  readonly #ownsDb: boolean;
  readonly #sql: QueueStatements;
  readonly #options: ResolvedPersistentQueueOptions;
  readonly #notifier: Notifier;
  readonly #logger: Logger;
  readonly #consumers = new Set<QueueConsumer>();
  readonly #coalescer: EnqueueCoalescer;
  readonly #metrics: Metrics | undefined;
  #removeSampler: (() => void) | null = null;
  #sweeper: NodeJS.Timeout | null = null;
  #sweeping = false;
  #closed = false;

  private constructor(db: SqlDatabase, ownsDb: boolean, s: string, options: ResolvedPersistentQueueOptions, logger: Logger, metrics: Metrics | undefined) {
    this.#metrics = metrics?.enabled ? metrics : undefined;
    this.#db = db;
    this.#ownsDb = ownsDb;
    this.#sql = queueStatements(s);
    this.#options = options;
    this.#logger = logger;
    this.#notifier = new Notifier(db, wakeChannel(options.schema), logger);
    this.deadLetters = new DeadLetters(db, this.#sql, () => this.#options.maxAttempts, () => this.#notifier.announce());
    this.topicLog = new TopicLog(db, this.#sql, options.maxMessageBytes);
    // PGlite runs one statement at a time: anything more in flight would only wait in its queue
    this.#coalescer = new EnqueueCoalescer((group, maxAttempts, delayMs) => this.#writeGroup(group, maxAttempts, delayMs), db.engine === 'pglite' ? 1 : 8);
  }

  /** Opens the queue on `target` (Postgres `url`, PGlite `dataDir` or memory, or an open `database`), migrating its schema. */
  static async open(target: DatabaseTarget, options: PersistentQueueOptions = {}): Promise<Result<PersistentMessageQueue>> {
    const resolved = resolveOptions(options);
    if (resolved.isErr()) return resolved;
    const s = quoteSchema(resolved.value.schema);
    if (s.isErr()) return s;
    const db = await openDatabase(target);
    if (db.isErr()) return db;
    const ownsDb = !('database' in target && target.database);
    const fail = async (e: MessagingError) => {
      if (ownsDb) await db.value.close();
      return err(e);
    };
    if (resolved.value.migrate) {
      const migrated = await migrateUp(db.value, { schema: resolved.value.schema });
      if (migrated.isErr()) return fail(migrated.error);
    }
    const queue = new PersistentMessageQueue(db.value, ownsDb, s.value, resolved.value, options.logger ?? NO_LOGGER, options.metrics);
    const started = await queue.#notifier.start();
    if (started.isErr()) return fail(started.error);
    if (queue.#metrics) {
      queue.#removeSampler = queue.#metrics.addSampler(async () => {
        await queue.sampleMetrics();
      });
    }
    return ok(queue);
  }

  /** The database underneath (for transactions that span the queue and other tables). */
  get database(): SqlDatabase {
    return this.#db;
  }

  /** Changes the retry policy live (config `retry`): new enqueues get `maxAttempts`, new failures the backoff. */
  setRetryPolicy(policy: { maxAttempts?: number; backoffMs?: readonly number[] }): Result<void> {
    const checked = checkRetryPolicy(policy);
    if (checked.isErr()) return checked;
    Object.assign(this.#options, checked.value);
    return ok();
  }

  /** The resolved options. */
  get options(): Readonly<ResolvedPersistentQueueOptions> {
    return this.#options;
  }

  #checkOpen(): Result<void> {
    return this.#closed ? err(new MessagingError('QUEUE_CLOSED', 'the queue is closed')) : ok();
  }

  #enqueueParams(options: EnqueueOptions): Result<{ maxAttempts: number; delayMs: number }> {
    const maxAttempts = checkInt('maxAttempts', options.maxAttempts ?? this.#options.maxAttempts, 1, 1_000_000);
    if (maxAttempts.isErr()) return maxAttempts;
    const delayMs = checkInt('delayMs', options.delayMs ?? 0, 0, MAX_MS);
    if (delayMs.isErr()) return delayMs;
    return ok({ maxAttempts: maxAttempts.value, delayMs: delayMs.value });
  }

  /**
   * Stores `msg`; resolves with its queue id only after the row is committed. Concurrent calls
   * share statements (group commit) when the engine is busy; with `tx` it runs in that transaction.
   */
  async enqueue(msg: Message, options: EnqueueOptions = {}): Promise<Result<number>> {
    const open = this.#checkOpen();
    if (open.isErr()) return open;
    const params = this.#enqueueParams(options);
    if (params.isErr()) return params;
    if (msg?.header) TraceContext.stamp(msg.header);
    const encoded = encodeOne(msg, this.#options.maxMessageBytes);
    if (encoded.isErr()) return encoded;
    const { maxAttempts, delayMs } = params.value;
    if (options.tx) {
      const ids = await this.#writeGroup([encoded.value], maxAttempts, delayMs, options.tx);
      return ids.isErr() ? ids : ok(ids.value[0] as number);
    }
    const id = await this.#coalescer.submit(encoded.value, maxAttempts, delayMs);
    if (id.isOk() && delayMs === 0) this.#notifier.announce();
    return id;
  }

  /** One statement for a group of encoded messages: the single-row insert, or the batch insert. */
  async #writeGroup(group: EncodedMessage[], maxAttempts: number, delayMs: number, tx?: Database): Promise<Result<number[]>> {
    const db = tx ?? this.#db;
    const first = group[0];
    if (group.length === 1 && first && !this.#options.topicLog) {
      const rows = await db.query<{ id: string | number }>(this.#sql.enqueueOne, [
        first.messageId,
        first.topic,
        first.payload,
        first.priority,
        first.traceId,
        maxAttempts,
        delayMs,
      ]);
      if (rows.isErr()) return rows;
      const row = rows.value[0];
      if (!row) return err(new MessagingError('DATABASE_ERROR', 'enqueue returned no id; the message may not be stored'));
      return ok([Number(row.id)]);
    }
    const rows = await db.query<{ id: string | number }>(this.#sql.enqueueBatch(this.#options.topicLog), [
      ...inputParams(joinPayloads(group)),
      maxAttempts,
      delayMs,
    ]);
    if (rows.isErr()) return rows;
    if (rows.value.length !== group.length) {
      return err(new MessagingError('DATABASE_ERROR', `enqueue stored ${rows.value.length} of ${group.length} rows`));
    }
    return ok(rows.value.map((r) => Number(r.id)));
  }

  /** Stores `msgs` in one statement; resolves with their queue ids, in order, after the commit. */
  async enqueueBatch(msgs: readonly Message[], options: EnqueueOptions = {}): Promise<Result<number[]>> {
    const open = this.#checkOpen();
    if (open.isErr()) return open;
    if (!Array.isArray(msgs)) return err(invalid('msgs', 'expected an array of messages'));
    if (msgs.length === 0) return ok([]);
    if (msgs.length > MAX_BATCH) return err(invalid('msgs', `at most ${MAX_BATCH} messages per call, got ${msgs.length}`));
    const params = this.#enqueueParams(options);
    if (params.isErr()) return params;
    for (const msg of msgs) if (msg?.header) TraceContext.stamp(msg.header);
    const batch = encodePayloads(msgs, this.#options.maxMessageBytes);
    if (batch.isErr()) return batch;
    const rows = await (options.tx ?? this.#db).query<{ id: string | number }>(this.#sql.enqueueBatch(this.#options.topicLog), [
      ...inputParams(batch.value),
      params.value.maxAttempts,
      params.value.delayMs,
    ]);
    if (rows.isErr()) return rows;
    if (rows.value.length !== msgs.length) {
      return err(new MessagingError('DATABASE_ERROR', `enqueue stored ${rows.value.length} of ${msgs.length} rows`));
    }
    if (!options.tx && params.value.delayMs === 0) this.#notifier.announce();
    return ok(rows.value.map((r) => Number(r.id)));
  }

  /** Claims up to `limit` ready messages (priority, then age) under a lease of `leaseMs`. */
  async dequeueBatch(limit: number, options: DequeueOptions = {}): Promise<Result<QueueEntry[]>> {
    const open = this.#checkOpen();
    if (open.isErr()) return open;
    const l = checkInt('limit', limit, 0, MAX_BATCH);
    if (l.isErr()) return l;
    const lease = checkInt('leaseMs', options.leaseMs ?? this.#options.leaseMs, 1, MAX_MS);
    if (lease.isErr()) return lease;
    this.#startSweeper();
    if (limit === 0) return ok([]);
    const rows = await this.#db.query<ClaimedRow>(this.#sql.claim, [limit, this.owner, lease.value]);
    if (rows.isErr()) return rows;
    const entries: QueueEntry[] = [];
    const broken: number[] = [];
    let problem = '';
    for (const r of rows.value) {
      const message = decode(r.payload);
      if (message.isErr()) {
        broken.push(Number(r.id));
        problem = message.error.message;
        continue;
      }
      entries.push({ id: Number(r.id), message: message.value, attempts: r.attempts, maxAttempts: r.max_attempts, priority: r.priority });
    }
    if (broken.length > 0) {
      this.#logger.error({ ids: broken, problem }, 'undecodable payloads moved to the dead letters');
      await this.markFailed(broken, `undecodable payload: ${problem}`, { deadLetter: true });
    }
    entries.sort((a, b) => b.priority - a.priority || a.id - b.id);
    return ok(entries);
  }

  async #settle(sql: string, ids: number[], extra: unknown[], tx: Database | undefined, what: string): Promise<Result<number>> {
    const done = await (tx ?? this.#db).query<SettledRow>(sql, [ids, this.owner, ...extra]);
    if (done.isErr()) return done;
    const row = done.value[0];
    if (!row) return err(new MessagingError('DATABASE_ERROR', `${what} returned no result; the rows may or may not be settled`));
    if (row.missed.length === 0) return ok(row.n);
    return this.#explainMiss(row.missed.map(Number), row.n, tx, what);
  }

  /** Why some ids of a mark call were not marked: unknown (NOT_FOUND) or not leased to us (INVALID_STATE). */
  async #explainMiss(missed: number[], marked: number, tx: Database | undefined, what: string): Promise<Result<number>> {
    const rows = await (tx ?? this.#db).query<{ id: string | number; status: string; lease_owner: string | null }>(this.#sql.diagnose, [missed]);
    if (rows.isErr()) return rows;
    const found = new Map(rows.value.map((r) => [Number(r.id), r]));
    const unknownIds = missed.filter((id) => !found.has(id));
    const notHeldIds = missed.filter((id) => found.has(id));
    const details = { marked, unknownIds, notHeldIds };
    if (unknownIds.length > 0) {
      return err(new MessagingError('NOT_FOUND', `${what}: unknown message ids ${unknownIds.slice(0, 10).join(', ')}${unknownIds.length > 10 ? '…' : ''}`, { details }));
    }
    return err(
      new MessagingError('INVALID_STATE', `${what}: ids ${notHeldIds.slice(0, 10).join(', ')} are not leased to this consumer (completed, expired or claimed again)`, {
        details,
      }),
    );
  }

  /** Acknowledges leased messages (deleted, or kept as COMPLETED); NOT_FOUND or INVALID_STATE list any id not marked. */
  async markCompleted(ids: number[], options: InTransaction = {}): Promise<Result<number>> {
    const open = this.#checkOpen();
    if (open.isErr()) return open;
    const checked = checkIds(ids);
    if (checked.isErr()) return checked;
    if (ids.length === 0) return ok(0);
    return this.#settle(this.#options.keepCompleted ? this.#sql.complete : this.#sql.completeDelete, ids, [], options.tx, 'markCompleted');
  }

  /** Extends the lease of messages this consumer holds to `leaseMs` from now. */
  async extendLease(ids: number[], leaseMs: number = this.#options.leaseMs): Promise<Result<number>> {
    const open = this.#checkOpen();
    if (open.isErr()) return open;
    const checked = checkIds(ids);
    if (checked.isErr()) return checked;
    const lease = checkInt('leaseMs', leaseMs, 1, MAX_MS);
    if (lease.isErr()) return lease;
    if (ids.length === 0) return ok(0);
    return this.#settle(this.#sql.extend, ids, [leaseMs], undefined, 'extendLease');
  }

  /** Records a failed delivery: a retry after the backoff, or the dead letters when out of attempts. */
  async markFailed(ids: number[], error: string | Error, options: FailOptions = {}): Promise<Result<FailOutcome>> {
    const open = this.#checkOpen();
    if (open.isErr()) return open;
    const checked = checkIds(ids);
    if (checked.isErr()) return checked;
    if (ids.length === 0) return ok({ retrying: [], deadLettered: [] });
    const text = (error instanceof Error ? error.message : String(error)).slice(0, 4000);
    const rows = await (options.tx ?? this.#db).query<{ id: string | number; dead: boolean }>(this.#sql.fail, [
      ids,
      this.owner,
      text,
      this.#options.backoffMs,
      this.#options.jitter,
      options.deadLetter === true,
    ]);
    if (rows.isErr()) return rows;
    const outcome: FailOutcome = { retrying: [], deadLettered: [] };
    for (const r of rows.value) (r.dead ? outcome.deadLettered : outcome.retrying).push(Number(r.id));
    const failed = new Set(rows.value.map((r) => Number(r.id)));
    const missed = [...new Set(ids.filter((id) => !failed.has(id)))];
    if (missed.length > 0) {
      const miss = await this.#explainMiss(missed, failed.size, options.tx, 'markFailed');
      if (miss.isErr()) {
        if (miss.error.details) Object.assign(miss.error.details, { outcome });
        return miss;
      }
    }
    return ok(outcome);
  }

  /** Makes messages waiting out a retry backoff due now; with `maxRetries`, each gets at least that many more attempts. */
  async reprocessFailed(options: { maxRetries?: number } = {}): Promise<Result<number>> {
    const open = this.#checkOpen();
    if (open.isErr()) return open;
    if (options.maxRetries !== undefined) {
      const m = checkInt('maxRetries', options.maxRetries, 0, 1_000_000);
      if (m.isErr()) return m;
    }
    const rows = await this.#db.query(this.#sql.reprocess, [options.maxRetries ?? null]);
    if (rows.isErr()) return rows;
    if (rows.value.length > 0) this.#notifier.announce();
    return ok(rows.value.length);
  }

  /** Returns expired leases to the queue (or the dead letters when out of attempts) now; the sweeper does it periodically. */
  async sweepExpiredLeases(): Promise<Result<{ requeued: number; dead: number }>> {
    const open = this.#checkOpen();
    if (open.isErr()) return open;
    const total = { requeued: 0, dead: 0 };
    for (;;) {
      const rows = await this.#db.query<{ requeued: number; dead: number }>(this.#sql.sweep, [1000]);
      if (rows.isErr()) return rows;
      const r = rows.value[0] ?? { requeued: 0, dead: 0 };
      total.requeued += r.requeued;
      total.dead += r.dead;
      if (r.requeued + r.dead < 1000) break;
    }
    if (total.requeued > 0) this.#notifier.announce();
    return ok(total);
  }

  /** Deletes COMPLETED rows older than `olderThanMs` (default 0: all); returns how many. */
  async purgeCompleted(olderThanMs = 0): Promise<Result<number>> {
    const o = checkInt('olderThanMs', olderThanMs, 0, MAX_MS);
    if (o.isErr()) return o;
    const rows = await this.#db.query(`${this.#sql.purgeCompleted} RETURNING 1`, [olderThanMs]);
    return rows.isErr() ? rows : ok(rows.value.length);
  }

  /** How many rows are in each status, and how many dead letters. */
  async counts(): Promise<Result<QueueCounts>> {
    const rows = await this.#db.query<{ status: string; n: number }>(this.#sql.counts);
    if (rows.isErr()) return rows;
    const c: QueueCounts = { pending: 0, processing: 0, completed: 0, failed: 0, dead: 0 };
    for (const r of rows.value) c[r.status.toLowerCase() as keyof QueueCounts] = Number(r.n);
    return ok(c);
  }

  /**
   * Reads the counts and sets the durable-queue gauges (pending, processing, dead letters) and
   * the pool gauges (connections in use, callers waiting, maximum; Postgres) of the metrics given
   * at open; the sampler calls it every sample interval. Returns the counts.
   */
  async sampleMetrics(): Promise<Result<QueueCounts>> {
    const metrics = this.#metrics;
    const pool = this.#db.poolUsage?.();
    if (metrics && pool) {
      metrics.dbPoolInUse.set(pool.inUse);
      metrics.dbPoolWaiting.set(pool.waiting);
      metrics.dbPoolMax.set(pool.max);
    }
    const counts = await this.counts();
    if (!metrics) return counts;
    if (counts.isErr()) {
      metrics.recordError(counts.error);
      return counts;
    }
    const labels = { queue: this.#options.schema };
    metrics.durablePending.set(labels, counts.value.pending + counts.value.failed);
    metrics.durableProcessing.set(labels, counts.value.processing);
    metrics.durableDeadLetter.set(labels, counts.value.dead);
    return counts;
  }

  /** Runs `fn` in a transaction (pass `tx` to enqueue, markCompleted, commitOffset…); an Err or exception rolls back. */
  async transaction<T>(fn: (tx: SqlDatabase) => Promise<Result<T>>): Promise<Result<T>> {
    const result = await withTransaction(this.#db, fn);
    if (result.isOk()) this.#notifier.announce();
    return result;
  }

  /** Resolves when a wake-up arrives after `seq` (see `wakeSeq`) or after the poll interval. */
  waitForWork(seq: number, timeoutMs: number = this.#options.pollIntervalMs): Promise<void> {
    return this.#notifier.wait(seq, timeoutMs);
  }

  /** The wake-up counter to take before a dequeue that may come back empty. */
  get wakeSeq(): number {
    return this.#notifier.seq;
  }

  /** Starts a loop that dequeues batches and hands them to `handler`; an Ok settles them completed, an Err failed. */
  consume(handler: BatchHandler, options: ConsumeOptions = {}): Result<QueueConsumer> {
    const open = this.#checkOpen();
    if (open.isErr()) return open;
    const consumer = new QueueConsumer(this, handler, options, this.#logger, () => this.#consumers.delete(consumer), this.#metrics);
    const started = consumer.start();
    if (started.isErr()) return started;
    this.#consumers.add(consumer);
    return ok(consumer);
  }

  #startSweeper(): void {
    if (this.#sweeper || this.#closed) return;
    this.#sweeper = setInterval(() => {
      if (this.#sweeping) return;
      this.#sweeping = true;
      void this.sweepExpiredLeases()
        .then((r) => {
          if (r.isErr()) this.#logger.warn({ err: r.error }, 'lease sweep failed; retrying at the next interval');
          else if (r.value.requeued + r.value.dead > 0) this.#logger.info(r.value, 'expired leases swept');
        })
        .finally(() => {
          this.#sweeping = false;
        });
    }, this.#options.sweepIntervalMs);
    this.#sweeper.unref();
  }

  /** Stops consumers and the sweeper, stops listening and closes the database if the queue opened it. */
  async close(): Promise<Result<void>> {
    if (this.#closed) return ok();
    const stops = await Promise.all([...this.#consumers].map((c) => c.stop()));
    this.#closed = true;
    this.#removeSampler?.();
    this.#removeSampler = null;
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = null;
    const notifier = await this.#notifier.close();
    const db = this.#ownsDb ? await this.#db.close() : ok();
    const failed = [...stops, notifier, db].find((r) => r.isErr());
    return failed ?? ok();
  }
}
