/**
 * The persistence suite: durable queues on the local Postgres against pg-boss 10 (its batch APIs)
 * and graphile-worker 0.17 (addJobs, its runner with a local queue and batched completion) on the
 * same database in the same run, and the same queue on embedded PGlite. Throughput of
 * enqueue → dequeue → complete in batches (one producer and one consumer at once) and of single
 * enqueues goes through the harness (A/B interleaved); single-enqueue latency at 1K/s offered is
 * measured open-loop before that and written to benchmark/results/persistence-latency.json.
 * Figures are reported, never asserted.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Comparison, Contender, Suite } from '../harness/types.js';
import { MessageBuilder, type Message } from '../../ts/index.js';
import { openLoop } from './open-loop.js';
import { type LatencyFigures, percentiles } from '../harness/percentiles.js';
import { BENCH_DATABASE_URL, type BenchQueue, graphileWorkerQueue, pgBossQueue, projectQueue } from './peers.js';

const BATCH = 1000;
const RATE = 1000;
const QUICK = process.argv.includes('--quick');
const LATENCY_ROUNDS = QUICK ? 1 : 3;
const LATENCY_SENDS = QUICK ? 500 : 1000;

function benchMessages(n: number): Message[] {
  return Array.from({ length: n }, (_, i) =>
    new MessageBuilder()
      .topic('orders.eu.created')
      .source('bench')
      .traceId('4bf92f3577b34da6a3ce929d0e0e4736')
      .addBody('order', i)
      .addBody('customer', 'c-000123')
      .addBody('amount', 1234.5)
      .addBody('note', 'x'.repeat(64))
      .build()
      .unwrap(),
  );
}

/** The same content as JSON, for pg-boss. */
const PAYLOAD = { topic: 'orders.eu.created', source: 'bench', order: 1, customer: 'c-000123', amount: 1234.5, note: 'x'.repeat(64) };

interface LatencyResult extends LatencyFigures {
  name: string;
  errors: number;
  offeredRate: number;
}

async function measureLatency(queues: BenchQueue[]): Promise<LatencyResult[]> {
  const samples = new Map<string, number[]>(queues.map((q) => [q.name, []]));
  const errors = new Map<string, number>();
  const rates = new Map<string, number[]>();
  // warm up: open pool connections and prepare statements before anything is measured
  for (const q of queues) await openLoop(() => q.enqueueOne(), RATE, QUICK ? 100 : 300);
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    for (let k = 0; k < queues.length; k++) {
      const q = queues[(k + round) % queues.length] as BenchQueue;
      process.stderr.write(`persistence: single-enqueue latency at ${RATE}/s offered, ${q.name}, round ${round + 1}…\n`);
      const run = await openLoop(() => q.enqueueOne(), RATE, LATENCY_SENDS);
      samples.get(q.name)?.push(...run.samples);
      errors.set(q.name, (errors.get(q.name) ?? 0) + run.errors);
      rates.set(q.name, [...(rates.get(q.name) ?? []), run.offeredRate]);
    }
  }
  return queues.map((q) => {
    const r = rates.get(q.name) ?? [];
    return { name: q.name, ...percentiles(samples.get(q.name) ?? []), errors: errors.get(q.name) ?? 0, offeredRate: r.reduce((a, b) => a + b, 0) / Math.max(1, r.length) };
  });
}

function writeLatency(results: LatencyResult[]): void {
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const report = {
    suite: 'persistence',
    what: `single-message enqueue latency, open loop at ${RATE}/s offered, ms from the scheduled send to the acknowledgement`,
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    target: 'p95 < 50 ms',
    results: results.map((r) => ({ ...r, p95TargetMet: r.p95 < 50 })),
  };
  writeFileSync(new URL('persistence-latency.json', dir), `${JSON.stringify(report, null, 2)}\n`);
  const lines = results.map(
    (r) => `  ${r.name.padEnd(32)} p50 ${r.p50.toFixed(2)} ms  p95 ${r.p95.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  max ${r.max.toFixed(1)} ms  (${r.count} sends, ${r.errors} errors, ${r.offeredRate.toFixed(0)}/s offered)`,
  );
  process.stderr.write(`persistence latency:\n${lines.join('\n')}\nwrote benchmark/results/persistence-latency.json\n`);
}

/**
 * A producer and a consumer at once, as a queue is used: each call enqueues one batch while the
 * previous one is dequeued and completed (one batch is primed in setup).
 */
function cycle(q: BenchQueue): Contender {
  return {
    name: q.name,
    ops: BATCH,
    setup: () => q.enqueueBatch(BATCH),
    fn: async () => {
      await Promise.all([q.enqueueBatch(BATCH), q.drain(BATCH, BATCH)]);
    },
  };
}

/** Twenty single enqueues, each awaited before the next. */
function singles(q: BenchQueue): Contender {
  return {
    name: q.name,
    ops: 20,
    fn: async () => {
      for (let i = 0; i < 20; i++) if (!(await q.enqueueOne())) throw new Error(`${q.name}: enqueue failed`);
    },
  };
}

async function comparisons(): Promise<Comparison[]> {
  const msgs = benchMessages(BATCH);
  const pg = await projectQueue('durable queue (Postgres)', { url: BENCH_DATABASE_URL }, msgs);
  const boss = await pgBossQueue(BENCH_DATABASE_URL, PAYLOAD);
  const graphile = await graphileWorkerQueue(BENCH_DATABASE_URL, PAYLOAD, BATCH);
  const lite = await projectQueue('durable queue (PGlite)', {}, msgs);
  const kept = await projectQueue('durable queue (Postgres, keepCompleted)', { url: BENCH_DATABASE_URL }, msgs, { keepCompleted: true });
  const all = [pg, boss, graphile, lite, kept];
  writeLatency(await measureLatency([pg, boss, graphile, lite]));

  const closeAll = async () => {
    for (const q of all) await q.close();
  };
  return [
    {
      name: `enqueue → dequeue → complete, batches of ${BATCH}`,
      unit: 'msg',
      subject: cycle(pg),
      peers: [cycle(boss), cycle(graphile), cycle(kept), cycle(lite)],
      target: { minOpsPerSec: 20_000, minRatio: { [boss.name]: 5 } },
    },
    {
      name: 'single enqueue, one at a time',
      unit: 'msg',
      // the last comparison closes every queue
      subject: { ...singles(pg), teardown: closeAll },
      peers: [singles(boss), singles(graphile), singles(lite)],
    },
  ];
}

export const suite: Suite = {
  name: 'persistence',
  description: 'durable queues on Postgres and PGlite against pg-boss 10 and graphile-worker 0.17 on the same Postgres',
  comparisons,
};
