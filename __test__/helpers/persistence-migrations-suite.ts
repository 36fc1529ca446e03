/**
 * The migration suite shared by both engines: up, down, status, idempotence, concurrent runs
 * under the advisory lock, and a failing migration that leaves nothing behind.
 */
import { ErrorCode } from '../../ts/index.js';
import { MIGRATIONS, type Migration, migrateDown, migrateUp, migrationStatus } from '../../ts/persistence/index.js';
import { type EngineName, type EngineTestBody, engineTest, failure } from './persistence-engines.js';

async function tables(db: { query: <R>(sql: string, params?: unknown[]) => Promise<{ unwrap(): R[] }> }, schema: string): Promise<string[]> {
  const rows = (await db.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema])).unwrap();
  return rows.map((r) => r.t);
}

/** Registers every migration test for `engine`. */
export function registerMigrationSuite(engine: EngineName): void {
  const test = (title: string, body: EngineTestBody) => engineTest(engine, `migrations: ${title}`, body, 'pm');

  test('go up, report status, go down step by step and up again', async (t, { db, schema }) => {
    const s = schema();
    const before = (await migrationStatus(db, { schema: s })).unwrap();
    t.deepEqual(before.map((m) => [m.version, m.applied]), MIGRATIONS.map((m) => [m.version, false]));
    const up = (await migrateUp(db, { schema: s })).unwrap();
    t.deepEqual(up.versions, [1, 2]);
    t.is(up.current, 2);
    t.deepEqual((await migrateUp(db, { schema: s })).unwrap(), { versions: [], current: 2 }, 'running twice changes nothing');
    const status = (await migrationStatus(db, { schema: s })).unwrap();
    t.true(status.every((m) => m.applied && m.appliedAt instanceof Date));
    t.deepEqual(await tables(db, s), ['consumer_offsets', 'dead_letters', 'messages', 'schema_migrations', 'topic_heads', 'topic_log']);

    t.deepEqual((await migrateDown(db, { schema: s })).unwrap(), { versions: [2], current: 1 });
    t.deepEqual((await migrationStatus(db, { schema: s })).unwrap().map((m) => m.applied), [true, false]);
    t.deepEqual((await migrateDown(db, { schema: s, to: 0 })).unwrap(), { versions: [1], current: 0 });
    t.deepEqual(await tables(db, s), ['schema_migrations']);
    t.deepEqual((await migrateDown(db, { schema: s })).unwrap(), { versions: [], current: 0 }, 'nothing left to revert');
    t.deepEqual((await migrateUp(db, { schema: s, to: 1 })).unwrap(), { versions: [1], current: 1 });
    t.deepEqual((await migrateUp(db, { schema: s })).unwrap(), { versions: [2], current: 2 });
    t.is(failure(await migrateDown(db, { schema: s, steps: -1 }))?.code, ErrorCode.INVALID_ARGUMENT);
    t.is(failure(await migrateUp(db, { schema: 'no such schema' }))?.code, ErrorCode.INVALID_ARGUMENT);
  });

  test('runs started at once apply each migration exactly once', async (t, { db, schema }) => {
    const s = schema();
    const runs = await Promise.all(Array.from({ length: 4 }, () => migrateUp(db, { schema: s })));
    const applied = runs.flatMap((r) => r.unwrap().versions).toSorted();
    t.deepEqual(applied, [1, 2]);
    t.true(runs.every((r) => r.unwrap().current === 2));
  });

  test('a failing migration rolls back the whole run', async (t, { db, schema }) => {
    const s = schema();
    const broken: Migration = { version: 3, name: 'broken', up: (q) => `CREATE TABLE ${q}.ok_table (x int); SELECT no_such_function();`, down: () => '' };
    const run = await migrateUp(db, { schema: s, migrations: [...MIGRATIONS, broken] });
    t.is(failure(run)?.code, ErrorCode.DATABASE_ERROR);
    t.regex(failure(run)?.message ?? '', /migration 3 broken failed/);
    t.deepEqual(await tables(db, s), [], 'nothing of the run is left');
  });
}
