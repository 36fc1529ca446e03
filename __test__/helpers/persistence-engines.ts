/**
 * Test support for durable queues: one database per engine per test file (Postgres at
 * MESSAGING_TEST_DATABASE_URL, PGlite in memory), a fresh schema per test named after the file,
 * every schema dropped at the end, and `engineTest` to register a shared test body for one engine
 * (each engine gets its own spec file, so its own process). With CI=true an unreachable
 * Postgres fails the tests instead of skipping them.
 */
import test, { type ExecutionContext } from 'ava';
import { randomBytes } from 'node:crypto';
import type { MessagingError, Result } from '../../ts/index.js';
export { bodyN, message, sleep } from './persistence-messages.js';
import {
  PersistentMessageQueue,
  type PersistentQueueOptions,
  type SqlDatabase,
  openPglite,
  openPostgres,
} from '../../ts/persistence/index.js';

/** The Postgres the tests use. */
export const TEST_DATABASE_URL = process.env.MESSAGING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The engines every shared test body runs on. */
export type EngineName = 'postgresql' | 'pglite';

/** A schema name unique to this process: `<prefix>_<random>`. */
export function randomSchema(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

interface EngineState {
  db: Promise<SqlDatabase | null>;
  schemas: string[];
  problem: string | null;
}

const engines = new Map<EngineName, EngineState>();

function engine(name: EngineName): EngineState {
  let state = engines.get(name);
  if (!state) {
    const created: EngineState = { db: Promise.resolve(null), schemas: [], problem: null };
    created.db = (name === 'postgresql' ? openPostgres(TEST_DATABASE_URL, { min: 1, max: 10 }) : openPglite()).then((r) => {
      if (r.isOk()) return r.value;
      created.problem = r.error.message;
      return null;
    });
    engines.set(name, created);
    state = created;
  }
  return state;
}

/** The shared database of `name` in this file, or null when it cannot be reached. */
export async function sharedDatabase(name: EngineName): Promise<{ db: SqlDatabase | null; problem: string | null }> {
  const state = engine(name);
  const db = await state.db;
  return { db, problem: state.problem };
}

/** Records a schema to drop at the end of the file. */
export function dropLater(name: EngineName, schema: string): void {
  engine(name).schemas.push(schema);
}

test.after.always('drop the test schemas and close the databases', async () => {
  for (const [, state] of engines) {
    const db = await state.db;
    if (!db) continue;
    for (const schema of state.schemas) await db.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.close();
  }
});

/** Context handed to a shared test body. */
export interface EngineContext {
  engine: EngineName;
  db: SqlDatabase;
  /** A new schema (dropped at the end of the file). */
  schema: () => string;
  /** A queue on a new schema of the shared database (or on `schema` when given); closed after the test. */
  open: (options?: PersistentQueueOptions & { schema?: string }) => Promise<PersistentMessageQueue>;
}

/** Is Postgres required (CI) rather than optional? */
export const POSTGRES_REQUIRED = process.env.CI === 'true';

/** A test body shared by the engines. */
export type EngineTestBody = (t: ExecutionContext, ctx: EngineContext) => Promise<void>;

/** Opens the engine's database before any test of the file starts (PGlite takes seconds to start). */
export function prepareEngine(name: EngineName): void {
  test.before(`open ${name}`, async () => {
    await sharedDatabase(name);
  });
}

/** Registers `body` as a test on engine `name`, titled `<engine>: <title>`. */
export function engineTest(name: EngineName, title: string, body: EngineTestBody, prefix = 'pq'): void {
  {
    test(`${name}: ${title}`, async (t) => {
      const { db, problem } = await sharedDatabase(name);
      if (!db) {
        if (name === 'postgresql' && !POSTGRES_REQUIRED) {
          t.log(`Postgres unreachable (${problem}); set CI=true to make this a failure`);
          t.pass();
          return;
        }
        t.fail(`${name} unavailable: ${problem}`);
        return;
      }
      const opened: PersistentMessageQueue[] = [];
      const ctx: EngineContext = {
        engine: name,
        db,
        schema: () => {
          const s = randomSchema(prefix);
          dropLater(name, s);
          return s;
        },
        open: async (options = {}) => {
          const schema = options.schema ?? ctx.schema();
          const q = await PersistentMessageQueue.open({ database: db }, { ...options, schema });
          if (q.isErr()) throw q.error;
          opened.push(q.value);
          return q.value;
        },
      };
      try {
        await body(t, ctx);
      } finally {
        for (const q of opened) await q.close();
      }
    });
  }
}

/** The error of a failed result, or undefined for a success. */
export function failure<T>(result: Result<T>): MessagingError | undefined {
  return result.isErr() ? result.error : undefined;
}
