/**
 * The executor suite: WorkerPoolExecutor with 2 workers and trivial jobs against piscina at
 * several settings (per-job submit, and grouped submit), and the native bounded queue from
 * JS in batches of 256 against TS queues of the same byte messages. Both pools run the same
 * task module, written to a temporary directory at setup.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BoundedQueue } from '../../ts/executor/bounded-queue.js';
import { Fifo } from '../../ts/executor/fifo.js';
import { WorkerPoolExecutor } from '../../ts/executor/worker-pool-executor.js';
import type { Comparison, Contender, Suite } from '../harness/types.js';
import { optionalPeer } from '../bus/peers.js';

const JOBS = 10_000;
const WORKERS = 2;
const BATCH = 256;
const ITEM = 16;
const ROUNDS_PER_CALL = 64;

interface PiscinaPool {
  run(data: unknown): Promise<unknown>;
  destroy(): Promise<void>;
}
type PiscinaClass = new (options: Record<string, unknown>) => PiscinaPool;

function taskModule(): { file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'messaging-bench-'));
  const file = join(dir, 'tasks.mjs');
  writeFileSync(file, 'export default function echo(x) { return x; }\nexport function inc(x) { return x + 1; }\n');
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function poolContender(file: string, grouped: boolean): Contender {
  let pool: WorkerPoolExecutor | undefined;
  const items = Array.from({ length: JOBS }, (_, i) => i);
  return {
    name: grouped ? `WorkerPoolExecutor submitMany (${WORKERS} workers)` : `WorkerPoolExecutor submit per job (${WORKERS} workers)`,
    ops: JOBS,
    setup: async () => {
      pool = (await WorkerPoolExecutor.create({ module: pathToFileURL(file), workers: WORKERS })).unwrap();
    },
    fn: grouped
      ? async () => (await (pool as WorkerPoolExecutor).submitMany('inc', items)).unwrap().length
      : async () => {
          const p = pool as WorkerPoolExecutor;
          const all: Promise<unknown>[] = [];
          for (let i = 0; i < JOBS; i++) all.push(p.submit({ task: 'inc', data: i }));
          return (await Promise.all(all)).length;
        },
    teardown: async () => {
      await pool?.shutdown();
    },
  };
}

function piscinaContender(Piscina: PiscinaClass, file: string, label: string, options: Record<string, unknown>): Contender {
  let pool: PiscinaPool | undefined;
  return {
    name: `piscina ${label}`,
    ops: JOBS,
    setup: async () => {
      pool = new Piscina({ filename: file, minThreads: WORKERS, maxThreads: WORKERS, ...options });
      await pool.run(0);
    },
    fn: async () => {
      const p = pool as PiscinaPool;
      const all: Promise<unknown>[] = [];
      for (let i = 0; i < JOBS; i++) all.push(p.run(i));
      return (await Promise.all(all)).length;
    },
    teardown: () => pool?.destroy(),
  };
}

function poolComparisons(): Comparison[] {
  const Piscina = optionalPeer<{ Piscina: PiscinaClass }>('piscina')?.Piscina;
  const { file, cleanup } = taskModule();
  const peers = (): Contender[] =>
    Piscina
      ? [
          piscinaContender(Piscina, file, '(defaults)', {}),
          piscinaContender(Piscina, file, '(16 tasks per worker)', { concurrentTasksPerWorker: 16 }),
          piscinaContender(Piscina, file, '(atomics disabled)', { atomics: 'disabled' }),
        ]
      : [];
  const ratios = Piscina ? { 'piscina (defaults)': 5, 'piscina (16 tasks per worker)': 5, 'piscina (atomics disabled)': 5 } : undefined;
  const perJob = poolContender(file, false);
  const grouped = poolContender(file, true);
  const last = grouped.teardown;
  grouped.teardown = async () => {
    await last?.();
    cleanup();
  };
  return [
    {
      name: `${JOBS} trivial jobs on ${WORKERS} worker threads, a promise per job`,
      unit: 'job',
      subject: perJob,
      peers: peers(),
      target: { minOpsPerSec: 1.2e6, ...(ratios ? { minRatio: ratios } : {}) },
    },
    {
      name: `${JOBS} trivial jobs on ${WORKERS} worker threads, submitted as one group`,
      unit: 'job',
      subject: grouped,
      peers: peers(),
      target: { minOpsPerSec: 1.2e6, ...(ratios ? { minRatio: ratios } : {}) },
    },
  ];
}

function queueComparison(): Comparison {
  const bytes = new Uint8Array(BATCH * ITEM).fill(7);
  const lens = new Uint32Array(BATCH).fill(ITEM);
  const out = new Uint8Array(BATCH * ITEM * 4);
  const outLens = new Uint32Array(BATCH);
  let native: BoundedQueue | undefined;
  let sink = 0;
  const items = Array.from({ length: BATCH }, (_, i) => bytes.subarray(i * ITEM, (i + 1) * ITEM));
  const array: Uint8Array[] = [];
  const fifo = new Fifo<Uint8Array>(BATCH);
  return {
    name: `queue push + pop, batches of ${BATCH} messages of ${ITEM} bytes`,
    unit: 'item',
    subject: {
      name: 'native BoundedQueue (one call per batch each way)',
      ops: BATCH * ROUNDS_PER_CALL,
      setup: () => {
        native = BoundedQueue.create({ capacity: 10_000, policy: 'reject' }).unwrap();
      },
      fn: () => {
        const q = native as BoundedQueue;
        for (let r = 0; r < ROUNDS_PER_CALL; r++) {
          q.pushBatch(bytes, lens, BATCH);
          sink += q.popBatch(out, outLens, BATCH).unwrap();
        }
        return sink;
      },
      teardown: () => native?.release(),
    },
    peers: [
      {
        name: 'TS ring of Uint8Array views (same thread only)',
        ops: BATCH * ROUNDS_PER_CALL,
        fn: () => {
          for (let r = 0; r < ROUNDS_PER_CALL; r++) {
            for (let i = 0; i < BATCH; i++) fifo.push(items[i] as Uint8Array);
            for (let i = 0; i < BATCH; i++) sink += (fifo.shift() as Uint8Array).length;
          }
          return sink;
        },
      },
      {
        name: 'Array push/shift of copies (same thread only)',
        ops: BATCH * ROUNDS_PER_CALL,
        fn: () => {
          for (let r = 0; r < ROUNDS_PER_CALL; r++) {
            for (let i = 0; i < BATCH; i++) array.push((items[i] as Uint8Array).slice());
            for (let i = 0; i < BATCH; i++) sink += (array.shift() as Uint8Array).length;
          }
          return sink;
        },
      },
    ],
    target: { minOpsPerSec: 20e6 },
  };
}

export const suite: Suite = {
  name: 'executor',
  description: 'worker pool against piscina, native queue from JS',
  comparisons: () => [queueComparison(), ...poolComparisons()],
};
