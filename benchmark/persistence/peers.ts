/**
 * The peers and the subject's engines for the persistence suite: a durable queue on Postgres or
 * PGlite, and pg-boss 10 on the same Postgres with its batch APIs. Each opens a schema of its own
 * and drops it when closed.
 */
import PgBoss from 'pg-boss';
import type { Message } from '../../ts/message/message.js';
import { PersistentMessageQueue } from '../../ts/persistence/index.js';

/** The Postgres the suite measures on. */
export const BENCH_DATABASE_URL =
  process.env.MESSAGING_BENCH_DATABASE_URL ?? process.env.MESSAGING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** What the suite does with a queue, whichever it is. */
export interface BenchQueue {
  name: string;
  /** Stores `n` messages in one batch call. */
  enqueueBatch(n: number): Promise<void>;
  /** Stores one message; true when acknowledged. */
  enqueueOne(): Promise<boolean>;
  /** Claims and completes `n` messages in batches of at most `batch`. */
  drain(n: number, batch: number): Promise<void>;
  close(): Promise<void>;
}

/** A durable queue of this package on `target` in a fresh schema. */
export async function projectQueue(
  name: string,
  target: { url: string } | { dataDir?: string },
  msgs: Message[],
  options: { keepCompleted?: boolean } = {},
): Promise<BenchQueue> {
  const schema = `bench_persistence${options.keepCompleted ? '_keep' : ''}_${process.pid}`;
  const q = (await PersistentMessageQueue.open(target, { schema, leaseMs: 60_000, ...options })).unwrap();
  let next = 0;
  return {
    name,
    enqueueBatch: async (n) => {
      (await q.enqueueBatch(n === msgs.length ? msgs : msgs.slice(0, n))).unwrap();
    },
    enqueueOne: async () => (await q.enqueue(msgs[next++ % msgs.length] as Message)).isOk(),
    drain: async (n, batch) => {
      let left = n;
      while (left > 0) {
        const got = (await q.dequeueBatch(Math.min(batch, left))).unwrap();
        if (got.length === 0) throw new Error(`queue ran dry with ${left} messages left`);
        (await q.markCompleted(got.map((e) => e.id))).unwrap();
        left -= got.length;
      }
    },
    close: async () => {
      await q.database.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await q.close();
    },
  };
}

/** Drops a peer's schema through a connection of its own. */
async function dropSchema(url: string, schema: string): Promise<void> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await sql.end();
}

/** pg-boss 10 on `url` in a fresh schema, one queue, maintenance and scheduling off. */
export async function pgBossQueue(url: string, payload: object): Promise<BenchQueue> {
  const schema = `bench_pgboss_${process.pid}`;
  const boss = new PgBoss({ connectionString: url, schema, max: 10, supervise: false, schedule: false, migrate: true });
  boss.on('error', (e) => process.stderr.write(`pg-boss: ${String(e)}\n`));
  await boss.start();
  const queue = 'bench';
  await boss.createQueue(queue);
  let jobs: { name: string; data: object }[] = [];
  return {
    name: 'pg-boss 10',
    enqueueBatch: async (n) => {
      if (jobs.length !== n) jobs = Array.from({ length: n }, () => ({ name: queue, data: payload }));
      await boss.insert(jobs);
    },
    enqueueOne: async () => (await boss.send(queue, payload)) !== null,
    drain: async (n, batch) => {
      let left = n;
      while (left > 0) {
        const got = await boss.fetch(queue, { batchSize: Math.min(batch, left) });
        if (got.length === 0) throw new Error(`pg-boss ran dry with ${left} jobs left`);
        await boss.complete(queue, got.map((j) => j.id));
        left -= got.length;
      }
    },
    close: async () => {
      await boss.stop({ graceful: false, wait: true });
      await dropSchema(url, schema);
    },
  };
}

/**
 * graphile-worker 0.17 on `url` in a fresh schema: jobs added with `addJobs` (one statement a
 * batch) and worked by its runner with its batching on, as its performance guide advises for many
 * small jobs: a local queue of `batch` jobs fetched at once and completions batched. `drain`
 * waits until the runner has completed `n` more jobs.
 */
export async function graphileWorkerQueue(url: string, payload: object, batch: number): Promise<BenchQueue> {
  const { Logger, makeWorkerUtils, run } = await import('graphile-worker');
  const schema = `bench_graphile_${process.pid}`;
  const logger = new Logger(() => () => undefined);
  const utils = await makeWorkerUtils({ connectionString: url, schema, logger });
  await utils.migrate();
  let completed = 0;
  let waiting: { until: number; resolve: () => void } | null = null;
  const runner = await run({
    connectionString: url,
    schema,
    logger,
    concurrency: 10,
    noHandleSignals: true,
    pollInterval: 100,
    preset: { worker: { localQueue: { size: batch }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    taskList: {
      bench: async () => {
        completed++;
        if (waiting !== null && completed >= waiting.until) {
          const w = waiting;
          waiting = null;
          w.resolve();
        }
      },
    },
  });
  let drained = 0;
  return {
    name: 'graphile-worker 0.17',
    enqueueBatch: async (n) => {
      await utils.addJobs(Array.from({ length: n }, () => ({ identifier: 'bench', payload })));
    },
    // Single enqueues go to a task the runner does not work, so they neither wait behind it nor
    // count as completions of a cycle.
    enqueueOne: async () => Boolean(await utils.addJob('single', payload)),
    drain: (n) => {
      drained += n;
      if (completed >= drained) return Promise.resolve();
      return new Promise<void>((resolve) => (waiting = { until: drained, resolve }));
    },
    close: async () => {
      await runner.stop();
      await utils.release();
      await dropSchema(url, schema);
    },
  };
}
