/**
 * Migration 2: the append-only topic log with its per-topic heads (dense offsets) and the
 * committed offsets of consumer groups. DDL text only; `s` is an already quoted schema.
 */
import type { Migration } from '../migration.js';

export const topicLog: Migration = {
  version: 2,
  name: 'topic-log',
  up: (s) => `
CREATE TABLE ${s}.topic_heads (
  topic       text PRIMARY KEY,
  next_offset bigint NOT NULL
);
CREATE TABLE ${s}.topic_log (
  topic       text NOT NULL,
  "offset"    bigint NOT NULL,
  message_id  uuid NOT NULL,
  payload     bytea NOT NULL,
  trace_id    text,
  appended_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, "offset")
);
CREATE TABLE ${s}.consumer_offsets (
  consumer_group text NOT NULL,
  topic          text NOT NULL,
  "offset"       bigint NOT NULL CHECK ("offset" >= 0),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, topic)
);
`,
  down: (s) => `
DROP TABLE IF EXISTS ${s}.consumer_offsets;
DROP TABLE IF EXISTS ${s}.topic_log;
DROP TABLE IF EXISTS ${s}.topic_heads;
`,
};
