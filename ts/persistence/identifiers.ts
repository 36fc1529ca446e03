/**
 * Names that go into SQL text: schema names are checked against a strict pattern and quoted,
 * because identifiers cannot be bound as parameters. Nothing unchecked ever reaches SQL text.
 */
import { createHash } from 'node:crypto';
import { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';

/** The schema used when none is given. */
export const DEFAULT_SCHEMA = 'messaging';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name quoted for SQL, or INVALID_ARGUMENT unless it is lowercase letters, digits and `_` (max 63). */
export function quoteSchema(schema: string): Result<string> {
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    return err(
      new MessagingError('INVALID_ARGUMENT', `invalid schema name ${JSON.stringify(schema)}: use a-z, 0-9 and _, at most 63 characters, not starting with a digit`, {
        details: { field: 'schema' },
      }),
    );
  }
  return ok(`"${schema}"`);
}

/** The notification channel that wakes consumers of `schema`. */
export function wakeChannel(schema: string): string {
  const channel = `messaging_${schema}`;
  // channel names are identifiers (at most 63 bytes): long schema names are hashed
  return channel.length <= 63 ? channel : `messaging_${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
}
