/**
 * The topic log and consumer offsets (Kafka-style replay): appends get dense per-topic offsets
 * from 0, assigned under the topic's head row so offsets commit in order; readers read from an
 * offset and commit the next one to read, in the caller's transaction when it passes one. It
 * never rewrites or deletes a log entry.
 */
import type { Database } from '../core/interfaces.js';
import { type Result, err, ok } from '../core/result.js';
import { decode } from '../message/codec/decode.js';
import type { Message } from '../message/message.js';
import { type PayloadBatch, encodePayloads } from './payload-batch.js';
import { MAX_BATCH, checkInt, invalid } from './queue-options.js';
import type { QueueStatements } from './statements.js';

/** One entry of the topic log. */
export interface LogEntry {
  offset: number;
  message: Message;
}

/** Where an appended message landed. */
export interface LogPosition {
  topic: string;
  offset: number;
}

/** Lets a call join the caller's transaction. */
export interface InTransaction {
  /** The transaction to run in (from `queue.transaction`); default: its own. */
  tx?: Database;
}

/** The batch columns in the order of the INPUT parameters of the statements. */
export function inputParams(batch: PayloadBatch): unknown[] {
  return [batch.messageIds, batch.topics, batch.blob, batch.offsets, batch.lengths, batch.priorities, batch.traceIds];
}

function checkTopic(topic: unknown): Result<string> {
  if (typeof topic !== 'string' || topic.length === 0) return err(invalid('topic', 'expected a non-empty string', topic));
  return ok(topic);
}

/** Append-only topic log with consumer offsets. */
export class TopicLog {
  constructor(
    private readonly db: Database,
    private readonly sql: QueueStatements,
    private readonly maxMessageBytes: number,
  ) {}

  /** Appends `msgs` in one statement; returns each message's topic and offset, in input order. */
  async append(msgs: readonly Message[], options: InTransaction = {}): Promise<Result<LogPosition[]>> {
    if (!Array.isArray(msgs)) return err(invalid('msgs', 'expected an array of messages'));
    if (msgs.length === 0) return ok([]);
    if (msgs.length > MAX_BATCH) return err(invalid('msgs', `at most ${MAX_BATCH} messages per call`));
    const batch = encodePayloads(msgs, this.maxMessageBytes);
    if (batch.isErr()) return batch;
    const rows = await (options.tx ?? this.db).query<{ topic: string; next_offset: string | number }>(this.sql.appendLog, inputParams(batch.value));
    if (rows.isErr()) return rows;
    const counts = new Map<string, number>();
    for (const t of batch.value.topics) counts.set(t, (counts.get(t) ?? 0) + 1);
    const next = new Map<string, number>();
    for (const r of rows.value) next.set(r.topic, Number(r.next_offset) - (counts.get(r.topic) ?? 0));
    return ok(
      batch.value.topics.map((topic) => {
        const offset = next.get(topic) ?? 0;
        next.set(topic, offset + 1);
        return { topic, offset };
      }),
    );
  }

  /** Up to `limit` entries of `topic` from `offset` on, in offset order. */
  async readFrom(topic: string, offset: number, limit: number): Promise<Result<LogEntry[]>> {
    const t = checkTopic(topic);
    if (t.isErr()) return t;
    const o = checkInt('offset', offset, 0, Number.MAX_SAFE_INTEGER);
    if (o.isErr()) return o;
    const l = checkInt('limit', limit, 0, MAX_BATCH);
    if (l.isErr()) return l;
    if (limit === 0) return ok([]);
    const rows = await this.db.query<{ offset: string | number; payload: Uint8Array }>(this.sql.readLog, [topic, offset, limit]);
    if (rows.isErr()) return rows;
    const entries: LogEntry[] = [];
    for (const r of rows.value) {
      const message = decode(r.payload);
      if (message.isErr()) return message;
      entries.push({ offset: Number(r.offset), message: message.value });
    }
    return ok(entries);
  }

  /** Records that `group` has consumed `topic` up to (not including) `offset`. */
  async commitOffset(group: string, topic: string, offset: number, options: InTransaction = {}): Promise<Result<void>> {
    if (typeof group !== 'string' || group.length === 0) return err(invalid('group', 'expected a non-empty string', group));
    const t = checkTopic(topic);
    if (t.isErr()) return t;
    const o = checkInt('offset', offset, 0, Number.MAX_SAFE_INTEGER);
    if (o.isErr()) return o;
    const done = await (options.tx ?? this.db).query(this.sql.commitOffset, [group, topic, offset]);
    return done.isErr() ? done : ok();
  }

  /** The offset `group` committed for `topic`, or 0 when it never committed one. */
  async committedOffset(group: string, topic: string): Promise<Result<number>> {
    const rows = await this.db.query<{ offset: string | number }>(this.sql.readOffset, [group, topic]);
    if (rows.isErr()) return rows;
    const row = rows.value[0];
    return ok(row ? Number(row.offset) : 0);
  }
}
