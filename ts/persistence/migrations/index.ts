/** Every migration in version order. Append new ones; never edit or renumber an applied one. */
import type { Migration } from '../migration.js';
import { queueTables } from './0001-queue-tables.js';
import { topicLog } from './0002-topic-log.js';

export const MIGRATIONS: readonly Migration[] = [queueTables, topicLog];
