/**
 * BoundedQueue: the native bounded MPMC queue of byte messages, reachable from every
 * worker_thread of the process by its id. Messages move in batches (bytes end to end plus a
 * Uint32Array of lengths). A SharedArrayBuffer beside the queue carries the wake-ups: blocked
 * pushers wait for room and idle consumers wait for items with Atomics, never by spinning.
 * It must never cross the native boundary once per message on a batch path, and never throw.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError, toMessagingError } from '../core/errors.js';
import { type NativeBinding, nativeBinding } from '../core/native.js';
import { type Result, err, ok } from '../core/result.js';
import { waitAsync } from './wait-async.js';
import { type OverflowPolicy, type QueueOptions, type ResolvedQueueOptions, Watermarks, resolveQueueOptions } from './queue-config.js';

/** Totals and gauges of a queue. */
export interface QueueStats {
  depth: number;
  capacity: number;
  /** depth / capacity. */
  utilization: number;
  enqueued: number;
  dequeued: number;
  dropped: number;
  rejected: number;
  closed: boolean;
}

/** What a worker needs to reach a queue: pass it in `workerData`. */
export interface QueueHandle {
  readonly id: number;
  readonly capacity: number;
  readonly policy: OverflowPolicy;
  /** Wake-up words shared by every thread using the queue. */
  readonly control: SharedArrayBuffer;
}

/** Options of a native queue. */
export interface BoundedQueueOptions extends QueueOptions {
  /** Longest message accepted, in bytes (default 16 MiB). */
  maxItemBytes?: number;
}

/** Indexes of the wake-up words in the control buffer. */
const SPACE_SEQ = 0;
const SPACE_WAITERS = 1;
const ITEM_SEQ = 2;
const ITEM_WAITERS = 3;
const CONTROL_WORDS = 4;

const single = new Uint32Array(1);

/** A native bounded queue of byte messages. */
export class BoundedQueue {
  readonly #native: NativeBinding;
  readonly #ctl: Int32Array;
  readonly #options: ResolvedQueueOptions;
  readonly #watermarks: Watermarks | undefined;
  readonly #out: { buf: Uint8Array; lens: Uint32Array };
  #released = false;

  private constructor(
    native: NativeBinding,
    readonly handle: QueueHandle,
    options: ResolvedQueueOptions,
  ) {
    this.#native = native;
    this.#ctl = new Int32Array(handle.control);
    this.#options = options;
    this.#watermarks = options.logger ? new Watermarks(options) : undefined;
    this.#out = { buf: new Uint8Array(0), lens: new Uint32Array(0) };
  }

  /** A new queue; CONFIG_ERROR for a bad capacity or policy, NATIVE_UNAVAILABLE without the addon. */
  static create(options: BoundedQueueOptions = {}): Result<BoundedQueue> {
    const resolved = resolveQueueOptions(options);
    if (resolved.isErr()) return resolved;
    const native = nativeBinding();
    if (native.isErr()) return native;
    try {
      const id = native.value.queueCreate(resolved.value.capacity, resolved.value.policy, options.maxItemBytes);
      const handle: QueueHandle = {
        id,
        capacity: resolved.value.capacity,
        policy: resolved.value.policy,
        control: new SharedArrayBuffer(CONTROL_WORDS * 4),
      };
      return ok(new BoundedQueue(native.value, handle, resolved.value));
    } catch (e) {
      return err(toMessagingError(e, 'CONFIG_ERROR'));
    }
  }

  /** The queue named by `handle`, from any worker thread of the process. */
  static attach(handle: QueueHandle, options: Omit<QueueOptions, 'capacity' | 'policy'> = {}): Result<BoundedQueue> {
    const resolved = resolveQueueOptions({ ...options, capacity: handle.capacity, policy: handle.policy });
    if (resolved.isErr()) return resolved;
    const native = nativeBinding();
    if (native.isErr()) return native;
    try {
      native.value.queueLen(handle.id);
    } catch (e) {
      return err(toMessagingError(e));
    }
    return ok(new BoundedQueue(native.value, handle, resolved.value));
  }

  /** The queue's id in this process. */
  get id(): number {
    return this.handle.id;
  }

  /** Most messages held. */
  get capacity(): number {
    return this.handle.capacity;
  }

  /** The overflow policy. */
  get policy(): OverflowPolicy {
    return this.handle.policy;
  }

  /**
   * Pushes `count` messages laid end to end in `bytes` with lengths `lens[0..count]`; returns
   * how many were taken from the front (all of them under the drop policies; under `reject` and
   * `block` those that fit).
   */
  pushBatch(bytes: Uint8Array, lens: Uint32Array, count: number = lens.length): Result<number> {
    let n: number;
    try {
      n = this.#native.queuePush(this.handle.id, bytes, lens, count);
    } catch (e) {
      return err(toMessagingError(e));
    }
    if (n > 0) this.#pushed();
    return ok(n);
  }

  /** Pushes one message; QUEUE_FULL when it is full under `reject` or `block`. */
  push(bytes: Uint8Array): Result<void> {
    single[0] = bytes.length;
    const n = this.pushBatch(bytes, single, 1);
    if (n.isErr()) return n;
    if (n.value === 0) return err(this.#full());
    return ok();
  }

  /** Pushes one message, waiting for room under `block` up to `blockTimeoutMs` (then TIMEOUT). */
  async pushAsync(bytes: Uint8Array, timeoutMs: number = this.#options.blockTimeoutMs): Promise<Result<void>> {
    const first = this.push(bytes);
    if (first.isOk() || this.policy !== 'block' || first.error.code !== ErrorCode.QUEUE_FULL) return first;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(this.#ctl, SPACE_SEQ);
      Atomics.add(this.#ctl, SPACE_WAITERS, 1);
      const again = this.push(bytes);
      if (again.isOk() || again.error.code !== ErrorCode.QUEUE_FULL) {
        Atomics.sub(this.#ctl, SPACE_WAITERS, 1);
        return again;
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        Atomics.sub(this.#ctl, SPACE_WAITERS, 1);
        return err(new MessagingError(ErrorCode.TIMEOUT, `no room in queue ${this.handle.id} within ${timeoutMs} ms`, { details: { timeoutMs } }));
      }
      const waited = waitAsync(this.#ctl, SPACE_SEQ, seq, left);
      if (waited) {
        // A pending Atomics.waitAsync does not keep the event loop alive; this timer does.
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([waited, new Promise<void>((r) => (timer = setTimeout(r, left)))]);
        clearTimeout(timer);
      }
      Atomics.sub(this.#ctl, SPACE_WAITERS, 1);
    }
  }

  /**
   * Pops up to `max` messages into `out`, lengths into `lens`; returns the count. `share` > 1
   * takes at most that fraction of the backlog, so that many consumers split it.
   */
  popBatch(out: Uint8Array, lens: Uint32Array, max: number = lens.length, share = 1): Result<number> {
    let n: number;
    try {
      n = this.#native.queuePop(this.handle.id, out, lens, max, share);
    } catch (e) {
      return err(toMessagingError(e));
    }
    if (n === 0xffff_ffff) {
      return err(
        new MessagingError(ErrorCode.INVALID_ARGUMENT, `the next message is ${lens[0]} bytes, longer than the ${out.length}-byte buffer`, {
          details: { need: lens[0] },
        }),
      );
    }
    if (n > 0) this.#popped();
    return ok(n);
  }

  /** Pops one message (a copy), or undefined when the queue is empty. */
  pop(): Result<Uint8Array | undefined> {
    const o = this.#out;
    if (o.lens.length === 0) {
      o.buf = new Uint8Array(64 * 1024);
      o.lens = new Uint32Array(1);
    }
    for (;;) {
      const n = this.popBatch(o.buf, o.lens, 1);
      if (n.isOk()) return ok(n.value === 0 ? undefined : o.buf.slice(0, o.lens[0]));
      const need = n.error.details?.need;
      if (typeof need !== 'number') return n;
      o.buf = new Uint8Array(need);
    }
  }

  /** Waits (blocking this thread, for worker threads) until an item may be there or `timeoutMs` passes. */
  waitForItems(timeoutMs: number): void {
    const seq = Atomics.load(this.#ctl, ITEM_SEQ);
    Atomics.add(this.#ctl, ITEM_WAITERS, 1);
    try {
      if (this.length() === 0) Atomics.wait(this.#ctl, ITEM_SEQ, seq, timeoutMs);
    } finally {
      Atomics.sub(this.#ctl, ITEM_WAITERS, 1);
    }
  }

  /** Messages queued now (0 when the queue is gone). */
  length(): number {
    try {
      return this.#native.queueLen(this.handle.id);
    } catch {
      return 0;
    }
  }

  /** Totals and gauges. */
  stats(): Result<QueueStats> {
    try {
      const [depth = 0, capacity = 0, enqueued = 0, dequeued = 0, dropped = 0, rejected = 0, closed = 0] = this.#native.queueStats(this.handle.id);
      return ok({ depth, capacity, utilization: depth / capacity, enqueued, dequeued, dropped, rejected, closed: closed === 1 });
    } catch (e) {
      return err(toMessagingError(e));
    }
  }

  /** Stops accepting messages (QUEUE_CLOSED); queued ones can still be popped. Wakes every waiter. */
  close(): Result<void> {
    try {
      this.#native.queueClose(this.handle.id);
    } catch (e) {
      return err(toMessagingError(e));
    }
    this.#wakeAll();
    return ok();
  }

  /** Closes the queue and drops the process registry's reference; its id stops working. */
  release(): Result<void> {
    if (this.#released) return ok();
    this.#released = true;
    this.close();
    this.#native.queueRelease(this.handle.id);
    return ok();
  }

  #wakeAll(): void {
    Atomics.add(this.#ctl, SPACE_SEQ, 1);
    Atomics.notify(this.#ctl, SPACE_SEQ);
    Atomics.add(this.#ctl, ITEM_SEQ, 1);
    Atomics.notify(this.#ctl, ITEM_SEQ);
  }

  #pushed(): void {
    if (Atomics.load(this.#ctl, ITEM_WAITERS) > 0) {
      Atomics.add(this.#ctl, ITEM_SEQ, 1);
      Atomics.notify(this.#ctl, ITEM_SEQ);
    }
    this.#watermarks?.check(this.length());
  }

  #popped(): void {
    if (Atomics.load(this.#ctl, SPACE_WAITERS) > 0) {
      Atomics.add(this.#ctl, SPACE_SEQ, 1);
      Atomics.notify(this.#ctl, SPACE_SEQ);
    }
    if (this.#watermarks?.above) this.#watermarks.check(this.length());
  }

  #full(): MessagingError {
    return new MessagingError(ErrorCode.QUEUE_FULL, `queue ${this.handle.id} is full (${this.handle.capacity} messages, policy ${this.handle.policy})`, {
      details: { capacity: this.handle.capacity, policy: this.handle.policy },
    });
  }
}
