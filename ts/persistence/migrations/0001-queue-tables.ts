/**
 * Migration 1: the tables of durable queues: messages (with the index dequeue walks and the one
 * the lease sweep walks) and dead letters. DDL text only; `s` is an already quoted schema.
 */
import type { Migration } from '../migration.js';

export const queueTables: Migration = {
  version: 1,
  name: 'queue-tables',
  up: (s) => `
CREATE TABLE ${s}.messages (
  id               bigserial PRIMARY KEY,
  message_id       uuid NOT NULL,
  topic            text NOT NULL,
  payload          bytea NOT NULL,
  priority         smallint NOT NULL DEFAULT 5,
  trace_id         text,
  status           text NOT NULL DEFAULT 'PENDING'
                   CHECK (status IN ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED')),
  attempts         integer NOT NULL DEFAULT 0,
  max_attempts     integer NOT NULL,
  visible_at       timestamptz NOT NULL DEFAULT now(),
  lease_owner      text,
  lease_expires_at timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz
);
-- a queue table churns: vacuum and analyze it often so dequeue keeps its ordered index scan
ALTER TABLE ${s}.messages SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
CREATE INDEX messages_ready ON ${s}.messages (priority DESC, id) WHERE status IN ('PENDING', 'FAILED');
CREATE INDEX messages_leases ON ${s}.messages (lease_expires_at) WHERE status = 'PROCESSING';

CREATE TABLE ${s}.dead_letters (
  id          bigserial PRIMARY KEY,
  original_id bigint NOT NULL,
  message_id  uuid NOT NULL,
  topic       text NOT NULL,
  payload     bytea NOT NULL,
  priority    smallint NOT NULL,
  trace_id    text,
  attempts    integer NOT NULL,
  last_error  text,
  enqueued_at timestamptz NOT NULL,
  failed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letters_topic ON ${s}.dead_letters (topic, id);

`,
  down: (s) => `
DROP TABLE IF EXISTS ${s}.dead_letters;
DROP TABLE IF EXISTS ${s}.messages;
`,
};
