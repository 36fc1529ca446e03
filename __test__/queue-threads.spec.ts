/**
 * One native queue shared by worker threads: producers on two workers reach the queue created
 * here by its id, the main thread consumes; every message arrives once, each producer in order.
 */
import test from 'ava';
import { Worker } from 'node:worker_threads';
import { BoundedQueue } from '../ts/executor/bounded-queue.js';

const PRODUCER = new URL('./helpers/executor-queue-producer.ts', import.meta.url).href;

function startProducer(workerData: unknown): Worker {
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(PRODUCER)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

test('producers on two worker threads, one consumer here: every message once, in order per producer', async (t) => {
  const q = BoundedQueue.create({ capacity: 256, policy: 'block' }).unwrap();
  const count = 20_000;
  const workers = [0, 1].map((producer) => startProducer({ handle: q.handle, producer, count }));
  const exited = workers.map((w) => new Promise<number>((resolve) => w.on('exit', resolve)));
  const next = [0, 0];
  const out = new Uint8Array(8 * 128);
  const view = new DataView(out.buffer);
  const lens = new Uint32Array(128);
  let got = 0;
  let disorder = 0;
  while (got < 2 * count) {
    const n = q.popBatch(out, lens).unwrap();
    if (n === 0) {
      await new Promise((r) => setImmediate(r));
      continue;
    }
    for (let i = 0; i < n; i++) {
      const p = view.getUint32(i * 8, true);
      const seq = view.getUint32(i * 8 + 4, true);
      if (seq !== next[p]) disorder++;
      next[p] = seq + 1;
    }
    got += n;
  }
  t.deepEqual(await Promise.all(exited), [0, 0]);
  t.is(disorder, 0);
  t.deepEqual(next, [count, count]);
  t.like(q.stats().unwrap(), { enqueued: 2 * count, dequeued: 2 * count, depth: 0, dropped: 0 });
  q.release();
});
