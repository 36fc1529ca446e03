/**
 * The bytes of jobs and job results as they sit in the native queues between the main thread
 * and the workers. A job is `[u32 id][u16 task][u8 kind][value]`, a result is
 * `[u32 id][u8 status][u8 kind][value]`; values are undefined/null/booleans and numbers in a
 * few bytes, strings as UTF-8, byte arrays as they are, anything else through the structured
 * clone serializer (what postMessage uses). Writers append to a growable arena with a lengths
 * array, so a whole batch crosses to native in one call. It never loses a value silently: a
 * value the serializer refuses is an error for that one job.
 */
import { deserialize, serialize } from 'node:v8';

/** Value kinds. */
const K_UNDEFINED = 0;
const K_NULL = 1;
const K_TRUE = 2;
const K_FALSE = 3;
const K_NUMBER = 4;
const K_STRING = 5;
const K_BYTES = 6;
const K_CLONE = 7;
const K_INT = 8;

/** Result status: the job returned a value. */
export const STATUS_OK = 0;
/** Result status: the job threw or rejected; the value is `{ message, name, code }`. */
export const STATUS_FAILED = 1;

/** Bytes of a job header. */
export const JOB_HEADER = 7;
/** Bytes of a result header. */
export const RESULT_HEADER = 6;

/** A growable byte arena plus the length of each item, ready for one `pushBatch`. */
export class BatchWriter {
  bytes: Uint8Array;
  view: DataView;
  lens: Uint32Array;
  /** Items written. */
  count = 0;
  /** Bytes written. */
  used = 0;

  constructor(bytes = 64 * 1024, items = 1024) {
    this.bytes = new Uint8Array(bytes);
    this.view = new DataView(this.bytes.buffer);
    this.lens = new Uint32Array(items);
  }

  #ensure(extra: number): void {
    if (this.used + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.used + extra) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.bytes.subarray(0, this.used));
    this.bytes = bigger;
    this.view = new DataView(bigger.buffer);
  }

  #item(start: number): void {
    if (this.count === this.lens.length) {
      const lens = new Uint32Array(this.lens.length * 2);
      lens.set(this.lens);
      this.lens = lens;
    }
    this.lens[this.count++] = this.used - start;
  }

  /** Appends a job; throws only when the serializer refuses `data`. */
  writeJob(id: number, task: number, data: unknown): void {
    const start = this.used;
    this.#ensure(JOB_HEADER + 8);
    this.view.setUint32(start, id, true);
    this.view.setUint16(start + 4, task, true);
    this.used = start + 6;
    try {
      this.#value(data);
    } catch (e) {
      this.used = start;
      throw e;
    }
    this.#item(start);
  }

  /** Appends a result of job `id`. */
  writeResult(id: number, status: number, value: unknown): void {
    const start = this.used;
    this.#ensure(RESULT_HEADER + 8);
    this.view.setUint32(start, id, true);
    this.bytes[start + 4] = status;
    this.used = start + 5;
    try {
      this.#value(value);
    } catch (e) {
      this.used = start + 5;
      this.bytes[start + 4] = STATUS_FAILED;
      this.#value({ message: `the result could not be copied back: ${(e as Error)?.message ?? String(e)}`, name: 'DataCloneError' });
    }
    this.#item(start);
  }

  #value(v: unknown): void {
    const at = this.used;
    switch (typeof v) {
      case 'undefined':
        this.bytes[at] = K_UNDEFINED;
        this.used = at + 1;
        return;
      case 'boolean':
        this.bytes[at] = v ? K_TRUE : K_FALSE;
        this.used = at + 1;
        return;
      case 'number':
        if ((v | 0) === v && !Object.is(v, -0)) {
          this.bytes[at] = K_INT;
          this.view.setInt32(at + 1, v, true);
          this.used = at + 5;
        } else {
          this.bytes[at] = K_NUMBER;
          this.view.setFloat64(at + 1, v, true);
          this.used = at + 9;
        }
        return;
      case 'string': {
        this.#ensure(1 + v.length * 3);
        this.bytes[at] = K_STRING;
        this.used = at + 1 + encoder.encodeInto(v, this.bytes.subarray(at + 1)).written;
        return;
      }
      default:
        break;
    }
    if (v === null) {
      this.bytes[at] = K_NULL;
      this.used = at + 1;
      return;
    }
    if (v instanceof Uint8Array) {
      this.#ensure(1 + v.length);
      this.bytes[at] = K_BYTES;
      this.bytes.set(v, at + 1);
      this.used = at + 1 + v.length;
      return;
    }
    const cloned = serialize(v);
    this.#ensure(1 + cloned.length);
    this.bytes[at] = K_CLONE;
    this.bytes.set(cloned, at + 1);
    this.used = at + 1 + cloned.length;
  }

  /** Forgets the first `n` items (they were pushed), keeping the rest at the front. */
  consume(n: number): void {
    if (n >= this.count) {
      this.count = 0;
      this.used = 0;
      return;
    }
    let skip = 0;
    for (let i = 0; i < n; i++) skip += this.lens[i] as number;
    this.bytes.copyWithin(0, skip, this.used);
    this.lens.copyWithin(0, n, this.count);
    this.used -= skip;
    this.count -= n;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Reads the value of an item that starts at `at` with its kind byte, ending at `end`. */
export function readValue(bytes: Uint8Array, view: DataView, at: number, end: number): unknown {
  switch (bytes[at]) {
    case K_UNDEFINED:
      return undefined;
    case K_NULL:
      return null;
    case K_TRUE:
      return true;
    case K_FALSE:
      return false;
    case K_INT:
      return view.getInt32(at + 1, true);
    case K_NUMBER:
      return view.getFloat64(at + 1, true);
    case K_STRING:
      return decoder.decode(bytes.subarray(at + 1, end));
    case K_BYTES:
      return bytes.slice(at + 1, end);
    case K_CLONE:
      return deserialize(bytes.subarray(at + 1, end));
    default:
      throw new Error(`unknown value kind ${bytes[at]}`);
  }
}
