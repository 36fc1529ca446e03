/**
 * The Postgres engine: a postgres.js pool behind `SqlDatabase`. postgres.js has no minimum pool
 * size, so `min` connections are opened at start (warm-up) and then closed by the idle timeout
 * like any other; it has no acquire timeout either, so a ConnectionGate in front of it admits at
 * most `max` statements or transactions and fails a wait longer than `acquireTimeoutMs`.
 * `connectTimeoutMs` bounds connecting. Its reconnect backoff (up to 20 s) is capped at
 * `reconnectMaxDelayMs` so a restarted server is used again within half a second.
 * Every driver failure becomes DATABASE_ERROR; it never reports success for a failed statement.
 */
import postgres from 'postgres';
import type { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import type { Listening, SqlDatabase } from './database.js';
import { ConnectionGate, type PoolUsage } from './connection-gate.js';
import { databaseError } from './database-error.js';
import { Rollback, runSavepoint } from './transaction.js';

/** Pool settings of the Postgres engine. */
export interface PoolOptions {
  /** Connections opened at start (default 5). */
  min?: number;
  /** Most connections at once (default 50). */
  max?: number;
  /** An idle connection closes after this many ms (default 30 000). */
  idleTimeoutMs?: number;
  /** Waiting for a free connection gives up after this many ms (default 5 000). */
  acquireTimeoutMs?: number;
  /** Connecting gives up after this many ms (default 5 000). */
  connectTimeoutMs?: number;
  /** Longest wait between reconnect attempts after the server went away, in ms (default 500). */
  reconnectMaxDelayMs?: number;
}

/** The pool settings used when none are given. */
export const DEFAULT_POOL: Required<PoolOptions> = {
  min: 5,
  max: 50,
  idleTimeoutMs: 30_000,
  acquireTimeoutMs: 5_000,
  connectTimeoutMs: 5_000,
  reconnectMaxDelayMs: 500,
};

type Sql = postgres.Sql<Record<string, never>>;
type Queryable = Sql | postgres.TransactionSql<Record<string, never>>;

class PostgresDatabase implements SqlDatabase {
  readonly engine = 'postgresql' as const;
  #depth: number;

  /**
   * `gate` is the pool's (null inside a transaction, whose statements use the connection the
   * transaction already holds).
   */
  constructor(
    private readonly root: Sql,
    private readonly conn: Queryable,
    private readonly gate: ConnectionGate | null,
    depth = 0,
  ) {
    this.#depth = depth;
  }

  /** Null once a connection slot is held (or none is needed); else the acquire-timeout error. */
  async #acquire(): Promise<MessagingError | null> {
    const gate = this.gate;
    if (gate === null || gate.tryAcquire()) return null;
    return (await gate.wait()) ? null : gate.timeoutError();
  }

  async query<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Result<Row[]>> {
    const refused = await this.#acquire();
    if (refused !== null) return err(refused);
    try {
      const rows = await this.conn.unsafe(sql, params as postgres.ParameterOrJSON<never>[]);
      return ok(rows as unknown as Row[]);
    } catch (e) {
      return err(databaseError('query failed', e));
    } finally {
      this.gate?.release();
    }
  }

  async exec(script: string): Promise<Result<void>> {
    const refused = await this.#acquire();
    if (refused !== null) return err(refused);
    try {
      await this.conn.unsafe(script).simple();
      return ok();
    } catch (e) {
      return err(databaseError('script failed', e));
    } finally {
      this.gate?.release();
    }
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<Result<T>>): Promise<Result<T>> {
    if (this.#depth > 0) return runSavepoint(new PostgresDatabase(this.root, this.conn, null, this.#depth + 1), this.#depth, fn);
    const refused = await this.#acquire();
    if (refused !== null) return err(refused);
    try {
      const value = await this.root.begin(async (tx) => {
        const result = await fn(new PostgresDatabase(this.root, tx, null, 1));
        if (result.isErr()) throw new Rollback(result.error);
        return result.value;
      });
      return ok(value as T);
    } catch (e) {
      if (e instanceof Rollback) return err(e.error);
      return err(databaseError('transaction failed', e));
    } finally {
      this.gate?.release();
    }
  }

  poolUsage(): PoolUsage | undefined {
    return this.gate?.usage();
  }

  async listen(channel: string, onNotify: () => void): Promise<Result<Listening>> {
    try {
      const sub = await this.root.listen(channel, () => onNotify());
      return ok({
        close: async () => {
          try {
            await sub.unlisten();
            return ok();
          } catch (e) {
            return err(databaseError('unlisten failed', e));
          }
        },
      });
    } catch (e) {
      return err(databaseError(`listen on ${channel} failed`, e));
    }
  }

  async notify(channel: string): Promise<Result<void>> {
    const sent = await this.query('SELECT pg_notify($1, \'\')', [channel]);
    return sent.isErr() ? sent : ok();
  }

  async close(): Promise<Result<void>> {
    try {
      await this.root.end({ timeout: 5 });
      return ok();
    } catch (e) {
      return err(databaseError('closing the pool failed', e));
    }
  }
}

/** Opens a pool on `url` and warms `min` connections; DATABASE_ERROR when the server is unreachable. */
export async function openPostgres(url: string, options: PoolOptions = {}): Promise<Result<SqlDatabase>> {
  const pool = { ...DEFAULT_POOL, ...options };
  let sql: Sql;
  try {
    sql = postgres(url, {
      max: pool.max,
      idle_timeout: pool.idleTimeoutMs / 1000,
      connect_timeout: pool.connectTimeoutMs / 1000,
      // postgres.js backs off up to 20 s after repeated failures; a queue wants its pool back soon
      backoff: (retries: number) => (Math.min(25 * 2 ** retries, pool.reconnectMaxDelayMs) * (0.5 + Math.random() / 2)) / 1000,
      onnotice: () => {},
      connection: { application_name: 'messaging-system' },
    }) as Sql;
  } catch (e) {
    return err(databaseError('opening the pool failed', e));
  }
  const db = new PostgresDatabase(sql, sql, new ConnectionGate(pool.max, pool.acquireTimeoutMs));
  const warm = await Promise.all(Array.from({ length: Math.max(1, Math.min(pool.min, pool.max)) }, () => db.query('SELECT 1')));
  const failed = warm.find((r) => r.isErr());
  if (failed?.isErr()) {
    await db.close();
    return err(failed.error);
  }
  return ok(db);
}
