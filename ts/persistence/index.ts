/** Durable queues: the queue, its dead letters, topic log and offsets, migrations and both engines. */
export { PersistentMessageQueue, type QueueEntry, type EnqueueOptions, type DequeueOptions, type FailOptions, type FailOutcome, type QueueCounts } from './persistent-message-queue.js';
export { QueueConsumer, PartialFailure, type BatchHandler, type ConsumeOptions, type QueueConsumerStats } from './consumer.js';
export { DeadLetters, type DeadLetter, type DeadLetterSelector } from './dead-letters.js';
export { TopicLog, type LogEntry, type LogPosition, type InTransaction } from './offsets.js';
export { QUEUE_DEFAULTS, type PersistentQueueOptions, type ResolvedPersistentQueueOptions } from './queue-options.js';
export { openDatabase, type SqlDatabase, type DatabaseTarget, type Listening } from './database.js';
export { openPostgres, DEFAULT_POOL, type PoolOptions } from './postgres-database.js';
export { openPglite } from './pglite-database.js';
export { withTransaction } from './transaction.js';
export { migrateUp, migrateDown, migrationStatus, type MigrateOptions, type MigrationState, type MigrationRun } from './migrations.js';
export { MIGRATIONS } from './migrations/index.js';
export type { Migration } from './migration.js';
export { DEFAULT_SCHEMA } from './identifiers.js';
