/**
 * The native BoundedQueue from JS: batches, policies, counters, bad configuration, watermarks,
 * and the block policy's wait for room.
 */
import test from 'ava';
import { BoundedQueue } from '../ts/executor/bounded-queue.js';
import type { Logger } from '../ts/core/interfaces.js';
import { ErrorCode } from '../ts/core/error-codes.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function batch(items: string[]): { bytes: Uint8Array; lens: Uint32Array } {
  const parts = items.map((s) => enc.encode(s));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const lens = new Uint32Array(parts.length);
  let at = 0;
  parts.forEach((p, i) => {
    bytes.set(p, at);
    at += p.length;
    lens[i] = p.length;
  });
  return { bytes, lens };
}

function popAll(q: BoundedQueue): string[] {
  const out = new Uint8Array(1 << 16);
  const lens = new Uint32Array(1024);
  const n = q.popBatch(out, lens).unwrap();
  const got: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    got.push(dec.decode(out.subarray(at, at + (lens[i] as number))));
    at += lens[i] as number;
  }
  return got;
}

test('a batch goes in and comes out in order, bytes intact', (t) => {
  const q = BoundedQueue.create({ capacity: 100, policy: 'reject' }).unwrap();
  const items = Array.from({ length: 50 }, (_, i) => 'x'.repeat(i) + i);
  const { bytes, lens } = batch(items);
  t.is(q.pushBatch(bytes, lens).unwrap(), 50);
  t.is(q.length(), 50);
  t.deepEqual(popAll(q), items);
  const s = q.stats().unwrap();
  t.like(s, { depth: 0, capacity: 100, enqueued: 50, dequeued: 50, dropped: 0, rejected: 0, closed: false });
  q.release();
});

test('reject: the rest of a batch is refused and counted; push says QUEUE_FULL', (t) => {
  const q = BoundedQueue.create({ capacity: 3, policy: 'reject' }).unwrap();
  const { bytes, lens } = batch(['a', 'b', 'c', 'd', 'e']);
  t.is(q.pushBatch(bytes, lens).unwrap(), 3);
  const r = q.push(enc.encode('f'));
  t.true(r.isErr());
  t.is(r.isErr() && r.error.code, ErrorCode.QUEUE_FULL);
  t.is(q.stats().unwrap().rejected, 3);
  q.release();
});

test('drop_newest keeps the first, drop_oldest keeps the last; drops are counted', (t) => {
  const newest = BoundedQueue.create({ capacity: 2, policy: 'drop_newest' }).unwrap();
  const oldest = BoundedQueue.create({ capacity: 2, policy: 'drop_oldest' }).unwrap();
  for (const s of ['a', 'b', 'c', 'd']) {
    t.true(newest.push(enc.encode(s)).isOk());
    t.true(oldest.push(enc.encode(s)).isOk());
  }
  t.deepEqual(popAll(newest), ['a', 'b']);
  t.deepEqual(popAll(oldest), ['c', 'd']);
  t.is(newest.stats().unwrap().dropped, 2);
  t.is(oldest.stats().unwrap().dropped, 2);
  newest.release();
  oldest.release();
});

test('bad configuration is a CONFIG_ERROR naming the key', (t) => {
  for (const capacity of [0, -1, 1.5, Number.NaN]) {
    const r = BoundedQueue.create({ capacity });
    t.true(r.isErr());
    t.is(r.isErr() && r.error.code, ErrorCode.CONFIG_ERROR);
    t.regex(r.isErr() ? r.error.message : '', /capacity/);
  }
  const p = BoundedQueue.create({ policy: 'drop_random' as never });
  t.is(p.isErr() && p.error.code, ErrorCode.CONFIG_ERROR);
  t.regex(p.isErr() ? p.error.message : '', /drop_random/);
});

test('lengths that overrun the buffer are INVALID_ARGUMENT and push nothing', (t) => {
  const q = BoundedQueue.create({ capacity: 10 }).unwrap();
  const r = q.pushBatch(new Uint8Array(3), new Uint32Array([2, 2]));
  t.is(r.isErr() && r.error.code, ErrorCode.INVALID_ARGUMENT);
  t.is(q.length(), 0);
  q.release();
});

test('a message longer than the pop buffer says how long it is and stays queued', (t) => {
  const q = BoundedQueue.create({ capacity: 10 }).unwrap();
  q.push(new Uint8Array(100)).unwrap();
  const r = q.popBatch(new Uint8Array(10), new Uint32Array(4));
  t.true(r.isErr());
  t.is(r.isErr() && r.error.details?.need, 100);
  t.is(q.pop().unwrap()?.length, 100);
  t.is(q.pop().unwrap(), undefined);
  q.release();
});

test('a closed queue refuses with QUEUE_CLOSED but drains; a released id stops working', (t) => {
  const q = BoundedQueue.create({ capacity: 10 }).unwrap();
  q.push(enc.encode('x')).unwrap();
  q.close().unwrap();
  const r = q.push(enc.encode('y'));
  t.is(r.isErr() && r.error.code, ErrorCode.QUEUE_CLOSED);
  t.deepEqual(popAll(q), ['x']);
  q.release();
  t.true(q.stats().isErr());
  t.true(BoundedQueue.attach(q.handle).isErr());
});

test('block: pushAsync waits for room and gets it when a consumer pops', async (t) => {
  const q = BoundedQueue.create({ capacity: 1, policy: 'block' }).unwrap();
  q.push(enc.encode('a')).unwrap();
  const waiting = q.pushAsync(enc.encode('b'), 2_000);
  setTimeout(() => q.pop(), 20);
  const r = await waiting;
  t.true(r.isOk());
  t.deepEqual(popAll(q), ['b']);
  q.release();
});

test('block: pushAsync gives TIMEOUT when no room comes', async (t) => {
  const q = BoundedQueue.create({ capacity: 1, policy: 'block' }).unwrap();
  q.push(enc.encode('a')).unwrap();
  const start = performance.now();
  const r = await q.pushAsync(enc.encode('b'), 30);
  t.is(r.isErr() && r.error.code, ErrorCode.TIMEOUT);
  t.true(performance.now() - start >= 25);
  q.release();
});

test('watermarks log once going up and once coming down', (t) => {
  const lines: string[] = [];
  const logger = {
    level: 'info',
    warn: (_f: unknown, m?: string) => lines.push(`warn ${m}`),
    info: (_f: unknown, m?: string) => lines.push(`info ${m}`),
  } as unknown as Logger;
  const q = BoundedQueue.create({ capacity: 10, policy: 'reject', logger, name: 'wm' }).unwrap();
  for (let i = 0; i < 10; i++) q.push(new Uint8Array([i]));
  const out = new Uint8Array(64);
  const lens = new Uint32Array(1);
  for (let i = 0; i < 10; i++) q.popBatch(out, lens, 1);
  for (let i = 0; i < 9; i++) q.push(new Uint8Array([i]));
  t.deepEqual(lines, ['warn queue wm is above its high watermark', 'info queue wm is back below its low watermark', 'warn queue wm is above its high watermark']);
  q.release();
});
