/**
 * The SQL of durable queues for one quoted schema, built once per queue so each text is prepared
 * once per connection. Every statement is one round trip for a whole batch: arrays go in through
 * unnest, payloads as one bytea cut with substring. Text only; it never runs anything.
 */

/** Columns a claimed row returns. */
export interface ClaimedRow {
  id: string | number;
  payload: Uint8Array;
  attempts: number;
  max_attempts: number;
  priority: number;
}

/** A dead-letter row as listed. */
export interface DeadLetterRow {
  id: string | number;
  original_id: string | number;
  topic: string;
  payload: Uint8Array;
  attempts: number;
  last_error: string | null;
  enqueued_at: Date | string;
  failed_at: Date | string;
}

/**
 * Batch input, shared by enqueue and the topic log: $1 uuid[] message ids, $2 text[] topics,
 * $3 bytea all payloads back to back, $4 int[] offsets into $3, $5 int[] lengths, $6 int[]
 * priorities, $7 text[] trace ids.
 */
const INPUT = `input AS MATERIALIZED (
  SELECT * FROM unnest($1::uuid[], $2::text[], $4::int[], $5::int[], $6::int[], $7::text[])
    WITH ORDINALITY AS u(message_id, topic, off, len, priority, trace_id, ord))`;

function topicLogCtes(s: string): string {
  return `counts AS (SELECT topic, count(*)::bigint AS n FROM input GROUP BY topic),
heads AS (
  INSERT INTO ${s}.topic_heads AS h (topic, next_offset)
  SELECT topic, n FROM counts ORDER BY topic
  ON CONFLICT (topic) DO UPDATE SET next_offset = h.next_offset + EXCLUDED.next_offset
  RETURNING h.topic, h.next_offset),
logged AS (
  INSERT INTO ${s}.topic_log (topic, "offset", message_id, payload, trace_id)
  SELECT i.topic, h.next_offset - c.n + row_number() OVER (PARTITION BY i.topic ORDER BY i.ord) - 1,
         i.message_id, substring($3::bytea FROM i.off + 1 FOR i.len), i.trace_id
  FROM input i JOIN heads h ON h.topic = i.topic JOIN counts c ON c.topic = i.topic
  RETURNING 1)`;
}

/** What a settling statement (`settled`) returns: rows changed, and the ids of $1 it did not change. */
export interface SettledRow {
  n: number;
  missed: (string | number)[];
}

/**
 * Wraps a statement that changes the rows of the ids in $1 so it answers one row (`SettledRow`)
 * instead of one per id: the common case, every id settled, then costs a count.
 */
function settled(dml: string): string {
  return `WITH done AS (${dml}
RETURNING id)
SELECT (SELECT count(*) FROM done)::int AS n, ARRAY(SELECT unnest($1::bigint[]) EXCEPT SELECT id FROM done) AS missed`;
}

/** Moves the rows of CTE `target` (id, exhausted) that are exhausted to dead_letters, deleting them. */
function deadLetterCtes(s: string, errorSql: string): string {
  return `dead AS (
  DELETE FROM ${s}.messages m USING target t WHERE m.id = t.id AND t.exhausted
  RETURNING m.id, m.message_id, m.topic, m.payload, m.priority, m.trace_id, m.attempts, m.created_at),
moved AS (
  INSERT INTO ${s}.dead_letters (original_id, message_id, topic, payload, priority, trace_id, attempts, last_error, enqueued_at)
  SELECT id, message_id, topic, payload, priority, trace_id, attempts, ${errorSql}, created_at FROM dead
  RETURNING original_id)`;
}

/** Every statement of a queue in schema `s` (quoted). */
export function queueStatements(s: string) {
  return {
    /** $1 uuid, $2 topic, $3 payload, $4 priority, $5 trace id, $6 max attempts, $7 delay ms. */
    enqueueOne: `INSERT INTO ${s}.messages (message_id, topic, payload, priority, trace_id, max_attempts, visible_at)
VALUES ($1, $2, $3, $4, $5, $6, now() + $7::int * interval '1 millisecond') RETURNING id`,

    /** INPUT + $8 max attempts, $9 delay ms; returns ids in input order. */
    enqueueBatch: (withLog: boolean) => `WITH ${INPUT},
inserted AS (
  INSERT INTO ${s}.messages (message_id, topic, payload, priority, trace_id, max_attempts, visible_at)
  SELECT message_id, topic, substring($3::bytea FROM off + 1 FOR len), priority, trace_id, $8::int,
         now() + $9::int * interval '1 millisecond'
  FROM input ORDER BY ord
  RETURNING id)${withLog ? `,\n${topicLogCtes(s)}` : ''}
SELECT id FROM inserted ORDER BY id`,

    /** INPUT; returns each topic's next offset after the append. */
    appendLog: `WITH ${INPUT},
${topicLogCtes(s)}
SELECT topic, next_offset FROM heads`,

    /**
     * $1 limit, $2 owner, $3 lease ms. The rows are picked and locked by the ready index, then
     * updated by their tuple ids (a locked row keeps its ctid until this statement updates it):
     * a TID scan, where a join on id could be planned as a scan of the whole table. A row that
     * another transaction changed since this statement's snapshot is locked under its new ctid,
     * which the snapshot does not see: it is left as it is and claimed by a later call.
     */
    claim: `UPDATE ${s}.messages m
SET status = 'PROCESSING', attempts = m.attempts + 1, lease_owner = $2,
    lease_expires_at = now() + $3::int * interval '1 millisecond', updated_at = now()
WHERE m.ctid = ANY(ARRAY(
  SELECT ctid FROM ${s}.messages
  WHERE status IN ('PENDING', 'FAILED') AND visible_at <= now()
  ORDER BY priority DESC, id
  LIMIT $1
  FOR UPDATE SKIP LOCKED))
RETURNING m.id, m.payload, m.attempts, m.max_attempts, m.priority`,

    /** $1 ids, $2 owner: the acknowledged rows are deleted (the default). */
    completeDelete: settled(`DELETE FROM ${s}.messages WHERE id = ANY($1::bigint[]) AND status = 'PROCESSING' AND lease_owner = $2`),

    /** $1 ids, $2 owner: the acknowledged rows stay as COMPLETED (keepCompleted). */
    complete: settled(`UPDATE ${s}.messages
SET status = 'COMPLETED', completed_at = now(), updated_at = now(), lease_owner = NULL, lease_expires_at = NULL
WHERE id = ANY($1::bigint[]) AND status = 'PROCESSING' AND lease_owner = $2`),

    /** $1 ids, $2 owner, $3 lease ms. */
    extend: settled(`UPDATE ${s}.messages
SET lease_expires_at = now() + $3::int * interval '1 millisecond', updated_at = now()
WHERE id = ANY($1::bigint[]) AND status = 'PROCESSING' AND lease_owner = $2`),

    /** $1 ids: which exist and who holds them (the slow path of a mark call that missed). */
    diagnose: `SELECT id, status, lease_owner FROM ${s}.messages WHERE id = ANY($1::bigint[])`,

    /**
     * $1 ids, $2 owner, $3 error, $4 backoff ms int[], $5 jitter (0..1), $6 straight to dead letters.
     * Retryable rows become FAILED, visible after the backoff of their attempt; exhausted ones move.
     */
    fail: `WITH target AS (
  SELECT id, ($6::bool OR attempts >= max_attempts) AS exhausted FROM ${s}.messages
  WHERE id = ANY($1::bigint[]) AND status = 'PROCESSING' AND lease_owner = $2
  FOR UPDATE),
retried AS (
  UPDATE ${s}.messages m
  SET status = 'FAILED', last_error = $3, lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
      visible_at = now() + (($4::int[])[greatest(1, least(m.attempts, cardinality($4::int[])))]
                  * (1 - $5::float8 + 2 * $5::float8 * random())) * interval '1 millisecond'
  FROM target t WHERE m.id = t.id AND NOT t.exhausted
  RETURNING m.id),
${deadLetterCtes(s, '$3')}
SELECT id, false AS dead FROM retried UNION ALL SELECT original_id AS id, true AS dead FROM moved`,

    /** $1 batch size. Expired leases go back to PENDING, or to dead letters when out of attempts. */
    sweep: `WITH target AS (
  SELECT id, attempts >= max_attempts AS exhausted FROM ${s}.messages
  WHERE status = 'PROCESSING' AND lease_expires_at <= now()
  ORDER BY lease_expires_at LIMIT $1
  FOR UPDATE SKIP LOCKED),
requeued AS (
  UPDATE ${s}.messages m
  SET status = 'PENDING', last_error = 'lease expired', lease_owner = NULL, lease_expires_at = NULL,
      visible_at = now(), updated_at = now()
  FROM target t WHERE m.id = t.id AND NOT t.exhausted
  RETURNING m.id),
${deadLetterCtes(s, `'lease expired after the last attempt'`)}
SELECT (SELECT count(*) FROM requeued)::int AS requeued, (SELECT count(*) FROM moved)::int AS dead`,

    /** $1 max retries or null. */
    reprocess: `UPDATE ${s}.messages
SET visible_at = now(), updated_at = now(),
    max_attempts = CASE WHEN $1::int IS NULL THEN max_attempts ELSE greatest(max_attempts, attempts + $1::int) END
WHERE status = 'FAILED'
RETURNING id`,

    /** $1 older than ms. */
    purgeCompleted: `DELETE FROM ${s}.messages WHERE status = 'COMPLETED' AND completed_at <= now() - $1::int * interval '1 millisecond'`,

    counts: `SELECT status, count(*)::int AS n FROM ${s}.messages GROUP BY status
UNION ALL SELECT 'DEAD', count(*)::int FROM ${s}.dead_letters`,

    /** $1 limit, $2 after id, $3 topic or null. */
    listDead: `SELECT id, original_id, topic, payload, attempts, last_error, enqueued_at, failed_at FROM ${s}.dead_letters
WHERE id > $2 AND ($3::text IS NULL OR topic = $3) ORDER BY id LIMIT $1`,

    /** $1 ids or null (all), $2 topic or null, $3 max attempts. */
    replayDead: `WITH picked AS (
  DELETE FROM ${s}.dead_letters
  WHERE ($1::bigint[] IS NULL OR id = ANY($1::bigint[])) AND ($2::text IS NULL OR topic = $2)
  RETURNING id, message_id, topic, payload, priority, trace_id)
INSERT INTO ${s}.messages (message_id, topic, payload, priority, trace_id, max_attempts)
SELECT message_id, topic, payload, priority, trace_id, $3 FROM picked ORDER BY id
RETURNING id`,

    /** $1 ids or null, $2 topic or null, $3 older than ms or null. */
    purgeDead: `DELETE FROM ${s}.dead_letters
WHERE ($1::bigint[] IS NULL OR id = ANY($1::bigint[])) AND ($2::text IS NULL OR topic = $2)
  AND ($3::int IS NULL OR failed_at <= now() - $3::int * interval '1 millisecond')
RETURNING id`,

    /** $1 group, $2 topic, $3 offset. */
    commitOffset: `INSERT INTO ${s}.consumer_offsets (consumer_group, topic, "offset") VALUES ($1, $2, $3)
ON CONFLICT (consumer_group, topic) DO UPDATE SET "offset" = EXCLUDED."offset", updated_at = now()`,

    /** $1 group, $2 topic. */
    readOffset: `SELECT "offset" FROM ${s}.consumer_offsets WHERE consumer_group = $1 AND topic = $2`,

    /** $1 topic, $2 from offset, $3 limit. */
    readLog: `SELECT "offset", payload FROM ${s}.topic_log WHERE topic = $1 AND "offset" >= $2 ORDER BY "offset" LIMIT $3`,
  };
}

/** The statements of one schema. */
export type QueueStatements = ReturnType<typeof queueStatements>;
