/**
 * The TypeScript encoder of the binary message format: byte-identical to crates/core's
 * encoder (golden vectors and a differential property test prove it). `encode` writes a
 * message straight into a shared output slab and returns a view of it (as Buffer.allocUnsafe
 * hands out views of its pool): allocating a buffer per message costs more than encoding it.
 * Batches and `encodeInto` write into a growing scratch buffer and copy out once. Limits are
 * checked while writing; it never writes what a decoder rejects, and it never writes over the
 * bytes of a result it has returned.
 */
import { ErrorCode } from '../../core/error-codes.js';
import { MessagingError } from '../../core/errors.js';
import { type Result, err, ok } from '../../core/result.js';
import { crc32cAppend } from '../crc32c.js';
import { type Header, MESSAGE_TYPES, type Message, type Metadata } from '../message.js';
import { Tag, type Container, type ValueList } from '../value.js';
import { writeUtf8 } from './utf8.js';
import {
  type CodecLimits,
  CHECKSUM_LEN,
  DEFAULT_LIMITS,
  FLAG_CHECKSUM,
  FLAG_CORRELATION_ID,
  FLAG_REPLY_TO,
  FLAG_TRACE_ID,
  FORMAT_VERSION,
  MAGIC_0,
  MAGIC_1,
  MAX_DEPTH_CEILING,
  OFF_ID,
  OFF_TOPIC,
  OFF_TRACE_ID,
} from './layout.js';

/** Options of one encode. */
export interface EncodeOptions {
  /** Append a CRC32C trailer (default false). */
  checksum?: boolean;
  /** Limits to enforce (default: the wire format's defaults). */
  limits?: CodecLimits;
}

class EncodeError extends Error {}

/**
 * Results of `encode` up to this size are views into the slab; larger ones get a buffer of
 * their own, so a long-lived small message keeps at most one slab alive and a large one none.
 */
const MAX_POOLED = 4096;
const SLAB = 64 * 1024;

/** The output slab of `encode`: bytes before `slabPos` belong to results handed out. */
let slab: Uint8Array = new Uint8Array(SLAB);
let slabView: DataView = new DataView(slab.buffer);
let slabPos = 0;
/** Scratch of batches and `encodeInto`, grown on demand and kept. */
let scratch: Uint8Array = new Uint8Array(64 * 1024);
let scratchView: DataView = new DataView(scratch.buffer);

/** Where the writer writes: the slab or the scratch (or a buffer grown from either). */
let buf = scratch;
let dv = scratchView;
let pos = 0;
/** Where the output being written starts in `buf`; a grow keeps the bytes from here on. */
let keep = 0;
/** Where the message being written starts in `buf` (moved by a grow). */
let msgStart = 0;
let limits: CodecLimits = DEFAULT_LIMITS;

function writeTo(target: Uint8Array, view: DataView, at: number): void {
  buf = target;
  dv = view;
  pos = at;
  keep = at;
}

/** Moves the output being written (from `keep`) to the start of a buffer big enough for `need`. */
function grow(need: number): void {
  if (need - msgStart > limits.maxMessageSize + 64 && need - msgStart > 64 * 1024) {
    throw new EncodeError(`message larger than the limit ${limits.maxMessageSize} bytes`);
  }
  let size = Math.max(64 * 1024, (buf.length - keep) * 2);
  while (size < need - keep) size *= 2;
  const next = new Uint8Array(size);
  next.set(buf.subarray(keep, pos));
  pos -= keep;
  msgStart -= keep;
  keep = 0;
  buf = next;
  dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

function u32(v: number): void {
  if (pos + 4 > buf.length) grow(pos + 4);
  dv.setUint32(pos, v, true);
  pos += 4;
}

/** Strings up to this many UTF-16 units that are ASCII are written by `str`'s own loop. */
const SHORT_ASCII = 48;

function str(s: string, what: string): void {
  const n = s.length;
  if (n <= SHORT_ASCII && pos + 4 + n <= buf.length && n <= limits.maxStringLen) {
    // The common case inline: a short ASCII string, its length as one byte and three zeros.
    const b = buf;
    const at = pos + 4;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      b[at + i] = c;
    }
    if (i === n) {
      b[pos] = n;
      b[pos + 1] = 0;
      b[pos + 2] = 0;
      b[pos + 3] = 0;
      pos = at + n;
      return;
    }
  }
  strSlow(s, n, what);
}

/** Any string: grows the buffer for the worst case and writes UTF-8. */
function strSlow(s: string, n: number, what: string): void {
  if (n > limits.maxStringLen) tooLong(what, -1);
  if (pos + 4 + 3 * n > buf.length) grow(pos + 4 + 3 * n);
  const len = writeUtf8(buf, s, pos + 4);
  if (len > limits.maxStringLen) tooLong(what, len);
  dv.setUint32(pos, len, true);
  pos += 4 + len;
}

// The errors are made out of line so the hot writers stay small enough to be inlined.

/** Throws for a string over the length limit; `bytes` -1 when its UTF-16 length already is. */
function tooLong(what: string, bytes: number): never {
  const max = limits.maxStringLen;
  throw new EncodeError(bytes < 0 ? `${what} longer than ${max} bytes` : `${what} of ${bytes} bytes exceeds the limit ${max}`);
}

function tooMany(what: string, n: number): never {
  throw new EncodeError(`${what} has ${n} entries, above the limit ${limits.maxFields}`);
}

function count(n: number, what: string): void {
  if (n > limits.maxFields) tooMany(what, n);
  u32(n);
}

// Labels of error messages are constants chosen once per section: a template literal per
// entry would build a string for every key written.

function pairs(map: Map<string, string> | null, what: 'header' | 'metadata'): void {
  if (map === null) {
    u32(0);
    return;
  }
  count(map.size, what);
  const keyLabel = what === 'header' ? 'header key' : 'metadata key';
  const valueLabel = what === 'header' ? 'header value' : 'metadata value';
  for (const [k, v] of map) {
    str(k, keyLabel);
    str(v, valueLabel);
  }
}

/** The user headers: the builder's list when no Map was made, else the Map (or none). */
function headerPairs(h: Header): void {
  const list = h.headerList();
  if (list === null) return pairs(h.headersOrNull(), 'header');
  count(list.length >> 1, 'header');
  for (let i = 0; i < list.length; i += 2) {
    str(list[i] as string, 'header key');
    str(list[i + 1] as string, 'header value');
  }
}

function value(tag: number, v: unknown, depth: number): void {
  if (pos + 9 > buf.length) grow(pos + 9);
  buf[pos++] = tag;
  switch (tag) {
    case Tag.null:
      return;
    case Tag.bool:
      buf[pos++] = v ? 1 : 0;
      return;
    case Tag.i32:
      dv.setInt32(pos, v as number, true);
      pos += 4;
      return;
    case Tag.i64:
      if (typeof v === 'bigint') dv.setBigInt64(pos, v, true);
      else {
        const n = v as number;
        const hi = Math.floor(n / 4294967296);
        dv.setUint32(pos, n - hi * 4294967296, true);
        dv.setInt32(pos + 4, hi, true);
      }
      pos += 8;
      return;
    case Tag.f64:
      dv.setFloat64(pos, v as number, true);
      pos += 8;
      return;
    case Tag.str:
      str(v as string, 'string value');
      return;
    case Tag.bytes: {
      const bytes = v as Uint8Array;
      if (bytes.length > limits.maxStringLen) tooLong('bytes value', bytes.length);
      u32(bytes.length);
      if (pos + bytes.length > buf.length) grow(pos + bytes.length);
      buf.set(bytes, pos);
      pos += bytes.length;
      return;
    }
    case Tag.array: {
      checkDepth(depth);
      const list = v as ValueList;
      count(list.tags.length, 'array');
      for (let i = 0; i < list.tags.length; i++) value(list.tags[i] as number, list.values[i], depth + 1);
      return;
    }
    case Tag.map:
      checkDepth(depth);
      entries(v as Container, 'map', depth + 1);
      return;
    default:
      unknownTag(tag);
  }
}

function unknownTag(tag: number): never {
  throw new EncodeError(`unknown value tag ${tag}`);
}

function checkDepth(depth: number): void {
  const max = Math.min(limits.maxDepth, MAX_DEPTH_CEILING);
  if (depth > max) throw new EncodeError(`nesting depth ${depth} exceeds the limit ${max}`);
}

function entries(c: Container, what: 'body' | 'map', depth: number): void {
  const { keys, tags, values } = c;
  count(keys.length, what);
  const keyLabel = what === 'body' ? 'body key' : 'map key';
  for (let i = 0; i < keys.length; i++) {
    str(keys[i] as string, keyLabel);
    value(tags[i] as number, values[i], depth);
  }
}

/** Checks the fixed fields of a message (what the preamble holds); returns its type number. */
function checkFields(h: Header, m: Metadata): number {
  const type = MESSAGE_TYPES.indexOf(h.type);
  if (type === -1) throw new EncodeError(`unknown message type ${String(h.type)}`);
  if (!Number.isInteger(m.priority) || m.priority < 0 || m.priority > 10) throw new EncodeError(`priority ${m.priority} outside 0-10`);
  if (!isU32(m.ttl)) throw new EncodeError(`ttl ${m.ttl} is not an integer 0-4294967295`);
  if (!isU32(m.retryCount)) throw new EncodeError(`retry count ${m.retryCount} is not an integer 0-4294967295`);
  if (!Number.isSafeInteger(h.timestamp)) throw new EncodeError(`timestamp ${h.timestamp} is not an integer`);
  return type;
}

/** Writes `msg` at `pos`; a grow may move it, so its start is read from `msgStart` after any write. */
function writeMessage(msg: Message, checksum: boolean): number {
  const { header: h, metadata: m } = msg;
  msgStart = pos;
  if (pos + OFF_TOPIC > buf.length) grow(pos + OFF_TOPIC);
  const type = checkFields(h, m);
  let flags = checksum ? FLAG_CHECKSUM : 0;
  if (h.hasTraceId()) flags |= FLAG_TRACE_ID;
  if (h.correlationId !== null) flags |= FLAG_CORRELATION_ID;
  if (h.replyTo !== null) flags |= FLAG_REPLY_TO;
  buf[pos] = MAGIC_0;
  buf[pos + 1] = MAGIC_1;
  buf[pos + 2] = FORMAT_VERSION;
  buf[pos + 3] = flags;
  buf[pos + 8] = type;
  buf[pos + 9] = m.priority;
  dv.setUint32(pos + 12, m.ttl, true);
  const ts = h.timestamp;
  const hi = Math.floor(ts / 4294967296);
  dv.setUint32(pos + 16, ts - hi * 4294967296, true);
  dv.setInt32(pos + 20, hi, true);
  dv.setUint32(pos + 24, m.retryCount, true);
  if (!h.writeIdBytes(buf, pos + OFF_ID)) throw new EncodeError(`id "${h.id}" is not a UUID`);
  if (!h.writeTraceIdBytes(buf, pos + OFF_TRACE_ID)) throw new EncodeError(`trace id "${h.traceId}" is not 32 hex characters`);
  pos += OFF_TOPIC;
  const topic = h.topic;
  if (pos + topic.length * 3 > buf.length) grow(pos + topic.length * 3);
  const topicLen = writeUtf8(buf, topic, pos);
  if (topicLen > 0xffff) throw new EncodeError(`topic of ${topicLen} bytes exceeds the limit 65535`);
  dv.setUint16(msgStart + 10, topicLen, true);
  pos += topicLen;
  str(h.source, 'source');
  str(h.target, 'target');
  str(h.version, 'version');
  if (h.correlationId !== null) str(h.correlationId, 'correlation id');
  if (h.replyTo !== null) str(h.replyTo, 'reply-to');
  headerPairs(h);
  dv.setUint32(msgStart + 28, pos - msgStart, true);
  entries(msg.body, 'body', 1);
  dv.setUint32(msgStart + 32, pos - msgStart, true);
  pairs(m.valuesOrNull(), 'metadata');
  const total = pos - msgStart + (checksum ? CHECKSUM_LEN : 0);
  if (total > limits.maxMessageSize) throw new EncodeError(`message of ${total} bytes exceeds the limit ${limits.maxMessageSize}`);
  dv.setUint32(msgStart + 4, total, true);
  if (checksum) u32(crc32cAppend(0, buf, msgStart, pos));
  return total;
}

function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

function failure(e: unknown): MessagingError {
  if (e instanceof EncodeError) return new MessagingError(ErrorCode.SERIALIZATION_ERROR, `cannot encode: ${e.message}`);
  return new MessagingError(ErrorCode.SERIALIZATION_ERROR, `cannot encode: ${(e as Error).message}`, { cause: e });
}

/**
 * Encodes `msg`; SERIALIZATION_ERROR names a broken limit or field. A result of up to 4 KiB is
 * a view into a shared 64 KiB slab (its `byteOffset` is rarely 0; copy it before transferring
 * its `buffer`); the bytes of a result are never written again.
 */
export function encode(msg: Message, options?: EncodeOptions): Result<Uint8Array> {
  if (SLAB - slabPos < MAX_POOLED) {
    slab = new Uint8Array(SLAB);
    slabView = new DataView(slab.buffer);
    slabPos = 0;
  }
  writeTo(slab, slabView, slabPos);
  limits = options?.limits ?? DEFAULT_LIMITS;
  try {
    const n = writeMessage(msg, options?.checksum === true);
    if (buf === slab && n <= MAX_POOLED) {
      slabPos += n;
      return ok(new Uint8Array(slab.buffer, msgStart, n));
    }
    // Too large for the slab, or it outgrew it: a buffer of its own. A buffer it grew into
    // serves as the scratch from now on.
    const out = buf.slice(msgStart, msgStart + n);
    keepScratch();
    return ok(out);
  } catch (e) {
    return err(failure(e));
  }
}

/** Starts a write at the start of the scratch. */
function writeToScratch(options: EncodeOptions | undefined): void {
  writeTo(scratch, scratchView, 0);
  limits = options?.limits ?? DEFAULT_LIMITS;
}

/** Keeps a buffer the writer grew into (larger than the scratch) as the scratch. */
function keepScratch(): void {
  if (buf !== slab && buf.length > scratch.length) {
    scratch = buf;
    scratchView = dv;
  }
}

/**
 * Encodes `msgs` back to back, each prefixed by its u32 length (the batch form), into one
 * Uint8Array of its own.
 */
export function encodeBatchTs(msgs: readonly Message[], options?: EncodeOptions): Result<Uint8Array> {
  writeToScratch(options);
  const checksum = options?.checksum === true;
  try {
    for (const msg of msgs) {
      u32(0);
      const n = writeMessage(msg, checksum); // may grow (and replace) the scratch buffer
      dv.setUint32(msgStart - 4, n, true);
    }
    return ok(buf.slice(0, pos));
  } catch (e) {
    return err(failure(e));
  } finally {
    keepScratch();
  }
}

/**
 * Encodes `msg` at `out[offset]` and returns the bytes written; when `out` is too small it
 * returns the size needed as a negative number and writes nothing.
 */
export function encodeInto(msg: Message, out: Uint8Array, offset = 0, options?: EncodeOptions): Result<number> {
  writeToScratch(options);
  try {
    const n = writeMessage(msg, options?.checksum === true);
    if (offset + n > out.length) return ok(-n);
    out.set(buf.subarray(0, n), offset);
    return ok(n);
  } catch (e) {
    return err(failure(e));
  } finally {
    keepScratch();
  }
}
