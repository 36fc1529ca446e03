/**
 * Worker-thread body for the queue spec: attaches to a queue by its handle and pushes
 * `count` numbered messages in batches, waiting for room when the queue is full.
 */
import { workerData } from 'node:worker_threads';
import { BoundedQueue, type QueueHandle } from '../../ts/executor/bounded-queue.js';

const { handle, producer, count } = workerData as { handle: QueueHandle; producer: number; count: number };
const q = BoundedQueue.attach(handle).unwrap();
const bytes = new Uint8Array(8 * 64);
const view = new DataView(bytes.buffer);
const lens = new Uint32Array(64).fill(8);
let sent = 0;
while (sent < count) {
  const n = Math.min(64, count - sent);
  for (let i = 0; i < n; i++) {
    view.setUint32(i * 8, producer, true);
    view.setUint32(i * 8 + 4, sent + i, true);
  }
  const pushed = q.pushBatch(bytes, lens, n).unwrap();
  sent += pushed;
  if (pushed < n) {
    // Shift the rest to the front and wait for a consumer to make room.
    bytes.copyWithin(0, pushed * 8, n * 8);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  }
}
