/**
 * Which database a command works on: Postgres when `--url` is given or the configuration says
 * postgresql, else PGlite in database.data_dir; `--schema` overrides database.schema. Opens it
 * for the admin commands (migrate, dlq, doctor), refusing a PGlite directory a running broker
 * holds. It never creates tables itself.
 */
import { existsSync } from 'node:fs';
import { type Result, err, ok } from '../core/result.js';
import type { MessagingSystemConfig } from '../config/types.js';
import { maskUrlPassword } from '../config/load-config.js';
import { type DatabaseTarget, type SqlDatabase, openDatabase } from '../persistence/database.js';
import { type ParsedArgs, stringOption } from './args.js';
import { CliError, EXIT } from './cli-error.js';
import { lockHolder, lockedError } from './pglite-lock.js';

/** The options of the commands that work on the database. */
export const DATABASE_OPTIONS = {
  url: { type: 'string' },
  schema: { type: 'string' },
} as const;

/** Help lines of DATABASE_OPTIONS. */
export const DATABASE_HELP = `      --url <url>       Postgres URL (overrides database.url and selects postgresql)
      --schema <name>   schema of the tables (default: database.schema)`;

/** A resolved database. */
export type DatabaseChoice =
  | { engine: 'postgresql'; url: string; schema: string; pool: MessagingSystemConfig['database']['pool'] }
  | { engine: 'pglite'; dataDir: string; schema: string };

/** The database `config` and the `--url` / `--schema` options select. */
export function chooseDatabase(config: MessagingSystemConfig, args?: ParsedArgs): DatabaseChoice {
  const db = config.database;
  const url = (args && stringOption(args, 'url')) ?? (db.type === 'postgresql' ? db.url : undefined);
  const schema = (args && stringOption(args, 'schema')) ?? db.schema;
  if (url !== undefined && url !== '') return { engine: 'postgresql', url, schema, pool: db.pool };
  return { engine: 'pglite', dataDir: db.data_dir, schema };
}

/** A short description: `Postgres postgres://u:***@h/db` or `PGlite in ./data`. */
export function describeDatabase(choice: DatabaseChoice): string {
  return choice.engine === 'postgresql' ? `Postgres ${maskUrlPassword(choice.url)} (schema ${choice.schema})` : `PGlite in ${choice.dataDir} (schema ${choice.schema})`;
}

/** The target to open `choice` with; `admin` asks for a small pool with a short connect timeout. */
export function databaseTarget(choice: DatabaseChoice, admin: boolean): DatabaseTarget {
  if (choice.engine === 'pglite') return { dataDir: choice.dataDir };
  const pool = admin
    ? { min: 1, max: 2, connectTimeoutMs: 5000 }
    : { min: choice.pool.min, max: choice.pool.max, idleTimeoutMs: choice.pool.idle_timeout_ms, acquireTimeoutMs: choice.pool.acquire_timeout_ms };
  return { url: choice.url, pool };
}

/** Opens the database of an admin command; a PGlite directory held by a running broker is refused. */
export async function openAdminDatabase(choice: DatabaseChoice, options: { mustExist?: boolean } = {}): Promise<Result<SqlDatabase, CliError>> {
  if (choice.engine === 'pglite') {
    const holder = lockHolder(choice.dataDir);
    if (holder !== undefined) return err(lockedError(choice.dataDir, holder));
    if (options.mustExist && !existsSync(choice.dataDir)) {
      return err(new CliError(EXIT.FAILURE, `no PGlite database in ${choice.dataDir} (run messaging migrate up or messaging serve first, or set database.data_dir)`));
    }
  }
  const db = await openDatabase(databaseTarget(choice, true));
  if (db.isErr()) {
    const code = choice.engine === 'postgresql' ? EXIT.UNREACHABLE : EXIT.FAILURE;
    return err(new CliError(code, `cannot open ${describeDatabase(choice)}: ${db.error.message.split('\n')[0]}`));
  }
  // a pool connects lazily: prove the server answers
  const probe = await db.value.query('SELECT 1');
  if (probe.isErr()) {
    await db.value.close();
    const code = choice.engine === 'postgresql' ? EXIT.UNREACHABLE : EXIT.FAILURE;
    return err(new CliError(code, `cannot reach ${describeDatabase(choice)}: ${probe.error.message.split('\n')[0]}`));
  }
  return ok(db.value);
}
