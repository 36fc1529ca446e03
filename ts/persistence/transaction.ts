/**
 * Transactions: `withTransaction` runs a function in one and rolls back on an `Err` result or an
 * exception; nested calls become savepoints. It never commits work whose function failed.
 */
import { type MessagingError, toMessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import type { SqlDatabase } from './database.js';

/** Thrown inside a driver's transaction callback to make it roll back with `error`. */
export class Rollback extends Error {
  constructor(readonly error: MessagingError) {
    super(error.message);
  }
}

/** Runs `fn` in a transaction of `db`; an `Err` or an exception rolls everything back. */
export function withTransaction<T>(db: SqlDatabase, fn: (tx: SqlDatabase) => Promise<Result<T>>): Promise<Result<T>> {
  return db.transaction(async (tx) => {
    try {
      return await fn(tx);
    } catch (e) {
      return err(toMessagingError(e));
    }
  });
}

/** Runs `fn` inside a savepoint of the open transaction `tx` (a nested transaction). */
export async function runSavepoint<T>(
  tx: SqlDatabase,
  depth: number,
  fn: (tx: SqlDatabase) => Promise<Result<T>>,
): Promise<Result<T>> {
  const name = `sp_${depth}`;
  const opened = await tx.exec(`SAVEPOINT ${name}`);
  if (opened.isErr()) return opened;
  let result: Result<T>;
  try {
    result = await fn(tx);
  } catch (e) {
    result = err(toMessagingError(e));
  }
  if (result.isErr()) {
    const back = await tx.exec(`ROLLBACK TO SAVEPOINT ${name}`);
    return back.isErr() ? back : result;
  }
  const released = await tx.exec(`RELEASE SAVEPOINT ${name}`);
  return released.isErr() ? released : ok(result.value);
}
