/**
 * The SQL database behind durable queues: the `SqlDatabase` shape both engines implement (the
 * core `Database` plus scripts and notifications) and `openDatabase`, which picks the engine from
 * the target. It never decides SQL semantics; both engines run the same statements.
 */
import type { Database } from '../core/interfaces.js';
import { type Result, ok } from '../core/result.js';
import type { PoolUsage } from './connection-gate.js';
import { type PoolOptions, openPostgres } from './postgres-database.js';
import { openPglite } from './pglite-database.js';

/** A subscription to a notification channel; `close` stops it. */
export interface Listening {
  close(): Promise<Result<void>>;
}

/** A `Database` that can also run multi-statement scripts and receive notifications. */
export interface SqlDatabase extends Database {
  /** Runs a script of one or more statements without parameters. */
  exec(script: string): Promise<Result<void>>;
  /** Calls `onNotify` for every `notify` on `channel`, from any connection (PGlite: this process). */
  listen(channel: string, onNotify: () => void): Promise<Result<Listening>>;
  /** Signals the listeners of `channel` (Postgres: NOTIFY; PGlite: an in-process signal). */
  notify(channel: string): Promise<Result<void>>;
  /** Runs `fn` in a transaction; an `Err` result or an exception rolls it back. */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<Result<T>>): Promise<Result<T>>;
  /** Connections in use, callers waiting for one, and the pool maximum (engines with a pool). */
  poolUsage?(): PoolUsage | undefined;
}

/** Where the data lives: a Postgres URL, a PGlite data directory (or memory), or an open database. */
export type DatabaseTarget =
  | { url: string; pool?: PoolOptions }
  | { dataDir?: string; url?: undefined; database?: undefined }
  | { database: SqlDatabase };

/** Opens the engine `target` names: Postgres for `url`, PGlite for `dataDir` or nothing (memory). */
export async function openDatabase(target: DatabaseTarget): Promise<Result<SqlDatabase>> {
  if ('database' in target && target.database) {
    return ok(target.database);
  }
  if ('url' in target && typeof target.url === 'string') return openPostgres(target.url, target.pool);
  return openPglite('dataDir' in target ? target.dataDir : undefined);
}
