/**
 * Runs the versioned migrations of a schema: up, down and status, for `messaging migrate`. Each
 * run holds a transaction-scoped advisory lock keyed by the schema, so two processes migrating at
 * once serialise and the second finds nothing left to do. Every step commits with its record in
 * schema_migrations or not at all; it never applies a migration twice.
 */
import { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import type { SqlDatabase } from './database.js';
import { DEFAULT_SCHEMA, quoteSchema } from './identifiers.js';
import type { Migration } from './migration.js';
import { MIGRATIONS } from './migrations/index.js';

/** Which schema to migrate and with which migrations (default: all of them). */
export interface MigrateOptions {
  /** Default `messaging`. */
  schema?: string;
  /** For tests and tools; default: the migrations of this version of the package. */
  migrations?: readonly Migration[];
}

/** One migration and whether it is applied. */
export interface MigrationState {
  version: number;
  name: string;
  applied: boolean;
  appliedAt: Date | null;
}

/** What a run changed. */
export interface MigrationRun {
  /** Versions applied (up) or reverted (down), in the order it did them. */
  versions: number[];
  /** The schema's version afterwards (0 when none is applied). */
  current: number;
}

function setup(options: MigrateOptions): Result<{ s: string; schema: string; migrations: readonly Migration[] }> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const quoted = quoteSchema(schema);
  if (quoted.isErr()) return quoted;
  const migrations = (options.migrations ?? MIGRATIONS).toSorted((a, b) => a.version - b.version);
  return ok({ s: quoted.value, schema, migrations });
}

async function lockedApplied(tx: SqlDatabase, s: string, schema: string): Promise<Result<Set<number>>> {
  const locked = await tx.query(`SELECT pg_advisory_xact_lock(hashtext('messaging-system:migrate:' || $1::text))`, [schema]);
  if (locked.isErr()) return locked;
  const created = await tx.exec(
    `CREATE SCHEMA IF NOT EXISTS ${s};
     CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
       version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  if (created.isErr()) return created;
  const rows = await tx.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
  if (rows.isErr()) return rows;
  return ok(new Set(rows.value.map((r) => Number(r.version))));
}

/** Applies every pending migration (or those up to `to`) in one transaction under the advisory lock. */
export async function migrateUp(db: SqlDatabase, options: MigrateOptions & { to?: number } = {}): Promise<Result<MigrationRun>> {
  const ready = setup(options);
  if (ready.isErr()) return ready;
  const { s, schema, migrations } = ready.value;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  return db.transaction(async (tx) => {
    const applied = await lockedApplied(tx, s, schema);
    if (applied.isErr()) return applied;
    const versions: number[] = [];
    for (const m of migrations) {
      if (m.version > to || applied.value.has(m.version)) continue;
      const ran = await tx.exec(m.up(s));
      if (ran.isErr()) return err(new MessagingError('DATABASE_ERROR', `migration ${m.version} ${m.name} failed: ${ran.error.message}`, { cause: ran.error }));
      const recorded = await tx.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      if (recorded.isErr()) return recorded;
      applied.value.add(m.version);
      versions.push(m.version);
    }
    return ok({ versions, current: Math.max(0, ...applied.value) });
  });
}

/** Reverts the newest `steps` applied migrations (default 1), or all above `to` when it is given. */
export async function migrateDown(
  db: SqlDatabase,
  options: MigrateOptions & { steps?: number; to?: number } = {},
): Promise<Result<MigrationRun>> {
  const ready = setup(options);
  if (ready.isErr()) return ready;
  const { s, schema, migrations } = ready.value;
  const steps = options.steps ?? (options.to === undefined ? 1 : Number.POSITIVE_INFINITY);
  if (!(steps >= 0) || (options.to !== undefined && !(options.to >= 0))) {
    return err(new MessagingError('INVALID_ARGUMENT', 'steps and to must be non-negative', { details: { steps, to: options.to } }));
  }
  const floor = options.to ?? 0;
  return db.transaction(async (tx) => {
    const applied = await lockedApplied(tx, s, schema);
    if (applied.isErr()) return applied;
    const versions: number[] = [];
    for (const m of migrations.toReversed()) {
      if (versions.length >= steps) break;
      if (m.version <= floor || !applied.value.has(m.version)) continue;
      const ran = await tx.exec(m.down(s));
      if (ran.isErr()) return err(new MessagingError('DATABASE_ERROR', `reverting migration ${m.version} ${m.name} failed: ${ran.error.message}`, { cause: ran.error }));
      const removed = await tx.query(`DELETE FROM ${s}.schema_migrations WHERE version = $1`, [m.version]);
      if (removed.isErr()) return removed;
      applied.value.delete(m.version);
      versions.push(m.version);
    }
    return ok({ versions, current: Math.max(0, ...applied.value) });
  });
}

/** Every known migration and whether it is applied in the schema (nothing is created). */
export async function migrationStatus(db: SqlDatabase, options: MigrateOptions = {}): Promise<Result<MigrationState[]>> {
  const ready = setup(options);
  if (ready.isErr()) return ready;
  const { s, migrations } = ready.value;
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [`${s}.schema_migrations`]);
  if (exists.isErr()) return exists;
  const applied = new Map<number, Date>();
  if (exists.value[0]?.t) {
    const rows = await db.query<{ version: number; applied_at: Date }>(`SELECT version, applied_at FROM ${s}.schema_migrations`);
    if (rows.isErr()) return rows;
    for (const r of rows.value) applied.set(Number(r.version), new Date(r.applied_at));
  }
  return ok(
    migrations.map((m) => ({ version: m.version, name: m.name, applied: applied.has(m.version), appliedAt: applied.get(m.version) ?? null })),
  );
}
