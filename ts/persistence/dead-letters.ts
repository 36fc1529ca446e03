/**
 * Dead letters: messages that used up their attempts (or were failed for good). They can be
 * listed, replayed into the queue as new PENDING messages with fresh attempts, and purged. It
 * never deletes a dead letter except by replay or purge.
 */
import type { Database } from '../core/interfaces.js';
import { type Result, err, ok } from '../core/result.js';
import { decode } from '../message/codec/decode.js';
import type { Message } from '../message/message.js';
import { MAX_BATCH, MAX_MS, checkIds, checkInt, invalid } from './queue-options.js';
import type { DeadLetterRow, QueueStatements } from './statements.js';

/** One dead letter. */
export interface DeadLetter {
  /** Id in the dead-letter table (for replay and purge). */
  id: number;
  /** Its id in the queue before it died. */
  originalId: number;
  topic: string;
  message: Message;
  attempts: number;
  lastError: string | null;
  enqueuedAt: Date;
  failedAt: Date;
}

/** Which dead letters a replay or purge takes: ids, or every one (of a topic, older than). */
export type DeadLetterSelector = number[] | { topic?: string; olderThanMs?: number };

/** The dead-letter queue of a durable queue. */
export class DeadLetters {
  constructor(
    private readonly db: Database,
    private readonly sql: QueueStatements,
    private readonly maxAttempts: () => number,
    private readonly onReplay: () => void = () => {},
  ) {}

  /** Dead letters in id order: up to `limit` (default 100) after `afterId`, optionally of one topic. */
  async list(options: { limit?: number; afterId?: number; topic?: string } = {}): Promise<Result<DeadLetter[]>> {
    const limit = checkInt('limit', options.limit ?? 100, 0, MAX_BATCH);
    if (limit.isErr()) return limit;
    const after = checkInt('afterId', options.afterId ?? 0, 0, Number.MAX_SAFE_INTEGER);
    if (after.isErr()) return after;
    const rows = await this.db.query<DeadLetterRow>(this.sql.listDead, [limit.value, after.value, options.topic ?? null]);
    if (rows.isErr()) return rows;
    const out: DeadLetter[] = [];
    for (const r of rows.value) {
      const message = decode(r.payload);
      if (message.isErr()) return message;
      out.push({
        id: Number(r.id),
        originalId: Number(r.original_id),
        topic: r.topic,
        message: message.value,
        attempts: r.attempts,
        lastError: r.last_error,
        enqueuedAt: new Date(r.enqueued_at),
        failedAt: new Date(r.failed_at),
      });
    }
    return ok(out);
  }

  /** Moves the selected dead letters back into the queue (fresh attempts); returns their new queue ids. */
  async replay(selector: DeadLetterSelector): Promise<Result<number[]>> {
    const sel = this.#select(selector);
    if (sel.isErr()) return sel;
    const rows = await this.db.query<{ id: string | number }>(this.sql.replayDead, [sel.value.ids, sel.value.topic, this.maxAttempts()]);
    if (rows.isErr()) return rows;
    if (rows.value.length > 0) this.onReplay();
    return ok(rows.value.map((r) => Number(r.id)));
  }

  /** Deletes the selected dead letters; returns how many. */
  async purge(selector: DeadLetterSelector): Promise<Result<number>> {
    const sel = this.#select(selector);
    if (sel.isErr()) return sel;
    const rows = await this.db.query(this.sql.purgeDead, [sel.value.ids, sel.value.topic, sel.value.olderThanMs]);
    if (rows.isErr()) return rows;
    return ok(rows.value.length);
  }

  #select(selector: DeadLetterSelector): Result<{ ids: number[] | null; topic: string | null; olderThanMs: number | null }> {
    if (Array.isArray(selector)) {
      const ids = checkIds(selector);
      return ids.isErr() ? ids : ok({ ids: ids.value, topic: null, olderThanMs: null });
    }
    if (typeof selector !== 'object' || selector === null) return err(invalid('selector', 'expected ids or { topic?, olderThanMs? }', selector));
    if (selector.olderThanMs !== undefined) {
      const o = checkInt('olderThanMs', selector.olderThanMs, 0, MAX_MS);
      if (o.isErr()) return o;
    }
    return ok({ ids: null, topic: selector.topic ?? null, olderThanMs: selector.olderThanMs ?? null });
  }
}
