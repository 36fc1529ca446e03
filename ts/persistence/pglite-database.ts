/**
 * The embedded engine: PGlite (Postgres compiled to WASM, in this process) behind `SqlDatabase`,
 * in memory or in a data directory. PGlite runs one statement at a time, so there is no pool, and
 * only this process can open it, so wake-ups are an in-process signal rather than NOTIFY. Every
 * failure becomes DATABASE_ERROR; it never reports success for a failed statement.
 */
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type Result, err, ok } from '../core/result.js';
import type { Listening, SqlDatabase } from './database.js';
import { databaseError } from './database-error.js';
import { Rollback, runSavepoint } from './transaction.js';

/** In-process listeners by channel, shared by a PGlite instance and its transactions. */
type Listeners = Map<string, Set<() => void>>;

class PgliteDatabase implements SqlDatabase {
  readonly engine = 'pglite' as const;

  constructor(
    private readonly root: PGlite,
    private readonly conn: PGlite | Transaction,
    private readonly listeners: Listeners = new Map(),
    private readonly depth = 0,
  ) {}

  async query<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Result<Row[]>> {
    try {
      const result = await this.conn.query<Row>(sql, params);
      return ok(result.rows);
    } catch (e) {
      return err(databaseError('query failed', e));
    }
  }

  async exec(script: string): Promise<Result<void>> {
    try {
      await this.conn.exec(script);
      return ok();
    } catch (e) {
      return err(databaseError('script failed', e));
    }
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<Result<T>>): Promise<Result<T>> {
    if (this.depth > 0) return runSavepoint(new PgliteDatabase(this.root, this.conn, this.listeners, this.depth + 1), this.depth, fn);
    try {
      const value = await this.root.transaction(async (tx) => {
        const result = await fn(new PgliteDatabase(this.root, tx, this.listeners, 1));
        if (result.isErr()) throw new Rollback(result.error);
        return result.value;
      });
      return ok(value);
    } catch (e) {
      if (e instanceof Rollback) return err(e.error);
      return err(databaseError('transaction failed', e));
    }
  }

  async listen(channel: string, onNotify: () => void): Promise<Result<Listening>> {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    const callback = () => onNotify();
    set.add(callback);
    return ok({
      close: async () => {
        set.delete(callback);
        return ok();
      },
    });
  }

  async notify(channel: string): Promise<Result<void>> {
    const set = this.listeners.get(channel);
    if (set) for (const callback of set) queueMicrotask(callback);
    return ok();
  }

  async close(): Promise<Result<void>> {
    try {
      if (!this.root.closed) await this.root.close();
      return ok();
    } catch (e) {
      return err(databaseError('closing PGlite failed', e));
    }
  }
}

/** Opens PGlite in `dataDir`, or in memory when it is undefined; DATABASE_ERROR when it cannot start. */
export async function openPglite(dataDir?: string): Promise<Result<SqlDatabase>> {
  try {
    const pg = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
    await pg.waitReady;
    return ok(new PgliteDatabase(pg, pg));
  } catch (e) {
    return err(databaseError(`starting PGlite${dataDir === undefined ? '' : ` in ${dataDir}`} failed`, e));
  }
}
