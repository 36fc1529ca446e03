/**
 * The Postgres pool's acquire step on a real server: at most `max` statements or transactions
 * hold a connection, waiters are admitted in arrival order, a wait past the acquire timeout is
 * DATABASE_ERROR before the statement is sent (it never runs later), and the pool gauges follow.
 */
import test, { type ExecutionContext } from 'ava';
import { ErrorCode } from '../ts/index.js';
import { chooseDatabase, databaseTarget } from '../ts/cli/database-target.js';
import { parseConfig } from '../ts/config/load-config.js';
import { openDatabase, type SqlDatabase } from '../ts/persistence/database.js';
import { createMetrics } from '../ts/observability/metrics.js';
import { PersistentMessageQueue } from '../ts/persistence/index.js';
import { openPostgres } from '../ts/persistence/postgres-database.js';
import { POSTGRES_REQUIRED, TEST_DATABASE_URL, randomSchema } from './helpers/persistence-engines.js';

async function pool(t: ExecutionContext, max: number, acquireTimeoutMs: number): Promise<SqlDatabase | null> {
  const opened = await openPostgres(TEST_DATABASE_URL, { min: 1, max, acquireTimeoutMs });
  if (opened.isErr()) {
    if (POSTGRES_REQUIRED) t.fail(opened.error.message);
    else t.log(`Postgres unreachable: ${opened.error.message}`);
    return null;
  }
  t.teardown(async () => void (await opened.value.close()));
  return opened.value;
}

async function table(t: ExecutionContext, db: SqlDatabase): Promise<string> {
  const name = randomSchema('pool_spec');
  (await db.exec(`CREATE TABLE ${name} (seq serial PRIMARY KEY, tag text NOT NULL)`)).unwrap();
  t.teardown(async () => void (await db.exec(`DROP TABLE IF EXISTS ${name}`)));
  return name;
}

test('a statement that waits past the acquire timeout is DATABASE_ERROR and never runs', async (t) => {
  const db = await pool(t, 2, 150);
  if (!db) return t.pass('Postgres unreachable');
  const name = await table(t, db);
  const sleepers = [db.query('SELECT pg_sleep(0.8)'), db.query('SELECT pg_sleep(0.8)')];
  await new Promise((r) => setTimeout(r, 50));
  t.deepEqual(db.poolUsage?.(), { inUse: 2, waiting: 0, max: 2 });
  const late = db.query(`INSERT INTO ${name} (tag) VALUES ('late')`);
  await new Promise((r) => setTimeout(r, 20));
  t.is(db.poolUsage?.()?.waiting, 1);
  const refused = await late;
  t.true(refused.isErr());
  if (refused.isErr()) {
    t.is(refused.error.code, ErrorCode.DATABASE_ERROR);
    t.regex(refused.error.message, /no database connection became free within 150 ms/);
    t.like(refused.error.details, { action: 'acquire', reason: 'acquire_timeout', max: 2 });
  }
  for (const s of await Promise.all(sleepers)) t.true(s.isOk());
  await new Promise((r) => setTimeout(r, 100));
  t.is((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`)).unwrap()[0]?.n, 0, 'the refused insert never ran');
  t.deepEqual(db.poolUsage?.(), { inUse: 0, waiting: 0, max: 2 });
});

test('waiters are admitted in arrival order as connections come free; a transaction holds one', async (t) => {
  const db = await pool(t, 1, 5000);
  if (!db) return t.pass('Postgres unreachable');
  const name = await table(t, db);
  const held = db.transaction(async (tx) => {
    await tx.query('SELECT pg_sleep(0.2)');
    return tx.query(`INSERT INTO ${name} (tag) VALUES ('tx')`);
  });
  await new Promise((r) => setTimeout(r, 20));
  const inserts = Array.from({ length: 6 }, (_, i) => db.query(`INSERT INTO ${name} (tag) VALUES ($1)`, [`w${i}`]));
  t.is(db.poolUsage?.()?.waiting, 6);
  t.true((await held).isOk());
  for (const r of await Promise.all(inserts)) t.true(r.isOk());
  const rows = (await db.query<{ tag: string }>(`SELECT tag FROM ${name} ORDER BY seq`)).unwrap();
  t.deepEqual(rows.map((r) => r.tag), ['tx', 'w0', 'w1', 'w2', 'w3', 'w4', 'w5']);
});

test('a queue with metrics reports the pool: in use, waiting and the maximum', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false }).unwrap();
  const schema = randomSchema('pool_metrics');
  const opened = await PersistentMessageQueue.open({ url: TEST_DATABASE_URL, pool: { min: 1, max: 3 } }, { schema, metrics });
  if (opened.isErr()) {
    if (POSTGRES_REQUIRED) t.fail(opened.error.message);
    return t.pass('Postgres unreachable');
  }
  const q = opened.value;
  t.teardown(async () => {
    await q.database.exec(`DROP SCHEMA "${schema}" CASCADE`);
    await q.close();
    metrics.close();
  });
  const sleeping = q.database.query('SELECT pg_sleep(0.3)');
  await new Promise((r) => setTimeout(r, 30));
  (await q.sampleMetrics()).unwrap();
  const text = await metrics.registry.metrics();
  t.regex(text, /messaging_db_pool_connections_in_use 1\n/);
  t.regex(text, /messaging_db_pool_waiting 0\n/);
  t.regex(text, /messaging_db_pool_connections_max 3\n/);
  t.true((await sleeping).isOk());
});

test('database.pool of the configuration sizes the pool serve opens and sets its acquire timeout', async (t) => {
  const yaml = `database:\n  url: ${TEST_DATABASE_URL}\n  pool:\n    min: 1\n    max: 2\n    idle_timeout_ms: 1000\n    acquire_timeout_ms: 120\n`;
  const config = parseConfig(yaml, { env: false }).unwrap().config;
  const choice = chooseDatabase(config);
  t.is(choice.engine, 'postgresql');
  t.deepEqual(databaseTarget(choice, false), { url: TEST_DATABASE_URL, pool: { min: 1, max: 2, idleTimeoutMs: 1000, acquireTimeoutMs: 120 } });
  const opened = await openDatabase(databaseTarget(choice, false));
  if (opened.isErr()) {
    if (POSTGRES_REQUIRED) t.fail(opened.error.message);
    return t.pass('Postgres unreachable');
  }
  const db = opened.value;
  t.teardown(async () => void (await db.close()));
  const sleepers = [db.query('SELECT pg_sleep(0.5)'), db.query('SELECT pg_sleep(0.5)')];
  await new Promise((r) => setTimeout(r, 50));
  t.deepEqual(db.poolUsage?.(), { inUse: 2, waiting: 0, max: 2 });
  const late = await db.query('SELECT 1');
  t.true(late.isErr() && /within 120 ms/.test(late.error.message));
  for (const s of await Promise.all(sleepers)) t.true(s.isOk());
});
