/**
 * Maps a failure of a database driver to DATABASE_ERROR with the SQL state and the cause kept.
 * It never hides an error and never turns one into success.
 */
import { MessagingError } from '../core/errors.js';

/** The SQLSTATE (or socket code) a driver error carries, if any. */
export function sqlState(thrown: unknown): string | undefined {
  if (typeof thrown === 'object' && thrown !== null && 'code' in thrown) {
    const code = (thrown as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** A DATABASE_ERROR saying what was being done, with the driver error as cause. */
export function databaseError(action: string, thrown: unknown): MessagingError {
  if (thrown instanceof MessagingError) return thrown;
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  const state = sqlState(thrown);
  return new MessagingError('DATABASE_ERROR', `${action}: ${text}`, {
    cause: thrown,
    details: state === undefined ? { action } : { action, sqlState: state },
  });
}
