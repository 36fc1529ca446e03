/**
 * The body of a WorkerPoolExecutor worker thread: loads the task module, then pulls batches of
 * jobs from the shared native queues (lanes in priority order, with optional aging), runs
 * them, and pushes the results back in one batch. Idle, it sleeps in Atomics.wait (no
 * spinning) and wakes when the main thread bumps the sequence word. A task that throws or
 * rejects is reported as failed; it never takes the worker down.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BoundedQueue } from './bounded-queue.js';
import { BatchWriter, JOB_HEADER, STATUS_FAILED, STATUS_OK, readValue } from './job-codec.js';
import { CTL_NOTIFY, CTL_SEQ, CTL_SLEEPERS, CTL_STOP, type PoolWorkerData, type PoolWorkerMessage, SLOT_BUSY, SLOT_COUNT, SLOT_CURRENT, SLOT_IDS } from './pool-protocol.js';
import { waitAsync } from './wait-async.js';

type TaskFn = (data: unknown) => unknown;

function noop(): void {}

const data = workerData as PoolWorkerData;
const port = parentPort;

function post(message: PoolWorkerMessage): void {
  port?.postMessage(message);
}

function errorValue(e: unknown): { message: string; name: string; code?: number } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'number' ? { message: e.message, name: e.name, code } : { message: e.message, name: e.name };
  }
  return { message: String(e), name: 'Error' };
}

async function load(): Promise<TaskFn[] | undefined> {
  try {
    const mod = (await import(data.module)) as Record<string, unknown>;
    const names = Object.keys(mod)
      .filter((k) => typeof mod[k] === 'function')
      .toSorted();
    post({ type: 'ready', tasks: names });
    return names.map((n) => mod[n] as TaskFn);
  } catch (e) {
    post({ type: 'load-error', message: e instanceof Error ? e.message : String(e) });
    return undefined;
  }
}

function attach(handle: PoolWorkerData['results']): BoundedQueue {
  const q = BoundedQueue.attach(handle);
  if (q.isErr()) throw q.error;
  return q.value;
}

class PoolWorker {
  readonly #tasks: TaskFn[];
  readonly #lanes: BoundedQueue[];
  readonly #results: BoundedQueue;
  readonly #ctl = new Int32Array(data.control);
  readonly #slot = new Int32Array(data.slot);
  readonly #out = new Uint8Array(1 << 20);
  readonly #view = new DataView(this.#out.buffer);
  readonly #lens = new Uint32Array(data.batchSize);
  readonly #writer = new BatchWriter(64 * 1024, data.batchSize * 2);
  readonly #lastServed: number[];
  #async = 0;

  constructor(tasks: TaskFn[]) {
    this.#tasks = tasks;
    this.#lanes = data.lanes.map((l) => attach(l.queue));
    this.#results = attach(data.results);
    this.#lastServed = this.#lanes.map(() => performance.now());
  }

  /** Pops one batch from the first lane that has work (a starving lower lane first with aging). */
  #take(): number {
    const lanes = this.#lanes;
    if (data.agingMs > 0 && lanes.length > 1) {
      const now = performance.now();
      for (let i = lanes.length - 1; i > 0; i--) {
        if (now - (this.#lastServed[i] as number) >= data.agingMs) {
          const n = this.#pop(i);
          this.#lastServed[i] = now;
          if (n > 0) return n;
        }
      }
    }
    for (let i = 0; i < lanes.length; i++) {
      const n = this.#pop(i);
      if (n > 0) {
        if (data.agingMs > 0) this.#lastServed[i] = performance.now();
        return n;
      }
      if (data.agingMs > 0) this.#lastServed[i] = performance.now();
    }
    return 0;
  }

  #pop(lane: number): number {
    const r = (this.#lanes[lane] as BoundedQueue).popBatch(this.#out, this.#lens, data.batchSize, data.share);
    return r.isOk() ? r.value : 0;
  }

  #run(count: number): void {
    const out = this.#out;
    const view = this.#view;
    const slot = this.#slot;
    const writer = this.#writer;
    let at = 0;
    for (let i = 0; i < count; i++) {
      slot[SLOT_IDS + i] = view.getUint32(at, true);
      at += this.#lens[i] as number;
    }
    slot[SLOT_COUNT] = count;
    at = 0;
    for (let i = 0; i < count; i++) {
      const end = at + (this.#lens[i] as number);
      const id = view.getUint32(at, true);
      const task = this.#tasks[view.getUint16(at + 4, true)];
      slot[SLOT_CURRENT] = id;
      slot[SLOT_BUSY] = 1;
      let value: unknown;
      let failed = false;
      try {
        if (task === undefined) throw new Error('unknown task index');
        value = task(readValue(out, view, at + JOB_HEADER - 1, end));
      } catch (e) {
        failed = true;
        value = errorValue(e);
      }
      slot[SLOT_BUSY] = 0;
      at = end;
      if (!failed && value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function') {
        this.#async++;
        (value as PromiseLike<unknown>).then(
          (v) => this.#settleAsync(id, STATUS_OK, v),
          (e: unknown) => this.#settleAsync(id, STATUS_FAILED, errorValue(e)),
        );
        continue;
      }
      writer.writeResult(id, failed ? STATUS_FAILED : STATUS_OK, value);
    }
    this.#flush();
    slot[SLOT_COUNT] = 0;
  }

  #settleAsync(id: number, status: number, value: unknown): void {
    this.#async--;
    this.#writer.writeResult(id, status, value);
    this.#flush();
  }

  /** Pushes the written results (waiting for room if the main thread is behind) and tells it. */
  #flush(): void {
    const w = this.#writer;
    while (w.count > 0) {
      const r = this.#results.pushBatch(w.bytes, w.lens, w.count);
      const n = r.isOk() ? r.value : w.count;
      w.consume(n);
      this.#notify();
      if (w.count > 0) Atomics.wait(this.#ctl, CTL_STOP, 0, 1);
      if (Atomics.load(this.#ctl, CTL_STOP) === 2) return;
    }
  }

  #notify(): void {
    if (Atomics.compareExchange(this.#ctl, CTL_NOTIFY, 0, 1) === 0) post({ type: 'results' });
  }

  /** Runs until the stop flag is set; yields to the event loop while async tasks are pending. */
  loop(): void {
    const ctl = this.#ctl;
    for (;;) {
      if (Atomics.load(ctl, CTL_STOP) !== 0 && this.#async === 0) {
        // Drain what is left only when asked to finish (1); 2 means leave now.
        if (Atomics.load(ctl, CTL_STOP) === 2 || this.#queued() === 0) return this.#exit();
      }
      const seq = Atomics.load(ctl, CTL_SEQ);
      const n = this.#take();
      if (n > 0) {
        this.#run(n);
        if (this.#async > 0) return void setImmediate(() => this.loop());
        continue;
      }
      if (this.#async > 0) {
        const w = waitAsync(ctl, CTL_SEQ, seq, data.idleWaitMs);
        if (w) {
          // A pending Atomics.waitAsync does not keep the thread alive; this timer does.
          const alive = setTimeout(noop, data.idleWaitMs);
          return void w.then(() => {
            clearTimeout(alive);
            this.loop();
          });
        }
        continue;
      }
      Atomics.add(ctl, CTL_SLEEPERS, 1);
      const again = this.#take();
      if (again > 0) {
        Atomics.sub(ctl, CTL_SLEEPERS, 1);
        this.#run(again);
        if (this.#async > 0) return void setImmediate(() => this.loop());
        continue;
      }
      if (Atomics.load(ctl, CTL_STOP) === 0) Atomics.wait(ctl, CTL_SEQ, seq, data.idleWaitMs);
      Atomics.sub(ctl, CTL_SLEEPERS, 1);
    }
  }

  #queued(): number {
    let n = 0;
    for (const q of this.#lanes) n += q.length();
    return n;
  }

  #exit(): void {
    port?.close();
  }
}

const tasks = await load();
if (tasks) new PoolWorker(tasks).loop();
