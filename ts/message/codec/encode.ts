/**
 * The TypeScript encoder of the binary message format: byte-identical to crates/core's
 * encoder (golden vectors and a differential property test prove it). It writes into one
 * growing scratch buffer and copies out once per message; `encodeInto` writes straight into a
 * caller's buffer. Limits are checked while writing; it never writes what a decoder rejects.
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

let buf = new Uint8Array(64 * 1024);
let dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
let pos = 0;
let limits: CodecLimits = DEFAULT_LIMITS;

function grow(need: number): void {
  if (need > limits.maxMessageSize + 64 && need > 64 * 1024) {
    throw new EncodeError(`message larger than the limit ${limits.maxMessageSize} bytes`);
  }
  let size = buf.length * 2;
  while (size < need) size *= 2;
  const next = new Uint8Array(size);
  next.set(buf.subarray(0, pos));
  buf = next;
  dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

function u32(v: number): void {
  if (pos + 4 > buf.length) grow(pos + 4);
  dv.setUint32(pos, v, true);
  pos += 4;
}

function str(s: string, what: string): void {
  const n = s.length;
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

function writeMessage(msg: Message, checksum: boolean): number {
  const { header: h, metadata: m } = msg;
  const start = pos;
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
  dv.setUint16(start + 10, topicLen, true);
  pos += topicLen;
  str(h.source, 'source');
  str(h.target, 'target');
  str(h.version, 'version');
  if (h.correlationId !== null) str(h.correlationId, 'correlation id');
  if (h.replyTo !== null) str(h.replyTo, 'reply-to');
  headerPairs(h);
  dv.setUint32(start + 28, pos - start, true);
  entries(msg.body, 'body', 1);
  dv.setUint32(start + 32, pos - start, true);
  pairs(m.valuesOrNull(), 'metadata');
  const total = pos - start + (checksum ? CHECKSUM_LEN : 0);
  if (total > limits.maxMessageSize) throw new EncodeError(`message of ${total} bytes exceeds the limit ${limits.maxMessageSize}`);
  dv.setUint32(start + 4, total, true);
  if (checksum) u32(crc32cAppend(0, buf, start, pos));
  return total;
}

/**
 * A copy of the first `n` scratch bytes in a buffer of its own. TypedArray#slice allocates and
 * copies in one step, faster than a new array plus `set` (the scratch is a plain Uint8Array, so
 * this is a copy, not the view Buffer#slice would give).
 */
function copyOut(n: number): Uint8Array {
  return buf.slice(0, n);
}

function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

function failure(e: unknown): MessagingError {
  if (e instanceof EncodeError) return new MessagingError(ErrorCode.SERIALIZATION_ERROR, `cannot encode: ${e.message}`);
  return new MessagingError(ErrorCode.SERIALIZATION_ERROR, `cannot encode: ${(e as Error).message}`, { cause: e });
}

/** Encodes `msg` into a new Uint8Array; SERIALIZATION_ERROR names a broken limit or field. */
export function encode(msg: Message, options?: EncodeOptions): Result<Uint8Array> {
  pos = 0;
  limits = options?.limits ?? DEFAULT_LIMITS;
  try {
    const n = writeMessage(msg, options?.checksum === true);
    return ok(copyOut(n));
  } catch (e) {
    return err(failure(e));
  }
}

/**
 * Encodes `msgs` back to back, each prefixed by its u32 length (the batch form), into one
 * Uint8Array.
 */
export function encodeBatchTs(msgs: readonly Message[], options?: EncodeOptions): Result<Uint8Array> {
  pos = 0;
  limits = options?.limits ?? DEFAULT_LIMITS;
  const checksum = options?.checksum === true;
  try {
    for (const msg of msgs) {
      const at = pos;
      u32(0);
      const n = writeMessage(msg, checksum); // may grow (and replace) the scratch buffer
      dv.setUint32(at, n, true);
    }
    return ok(copyOut(pos));
  } catch (e) {
    return err(failure(e));
  }
}

/**
 * Encodes `msg` at `out[offset]` and returns the bytes written; when `out` is too small it
 * returns the size needed as a negative number and writes nothing.
 */
export function encodeInto(msg: Message, out: Uint8Array, offset = 0, options?: EncodeOptions): Result<number> {
  pos = 0;
  limits = options?.limits ?? DEFAULT_LIMITS;
  try {
    const n = writeMessage(msg, options?.checksum === true);
    if (offset + n > out.length) return ok(-n);
    out.set(buf.subarray(0, n), offset);
    return ok(n);
  } catch (e) {
    return err(failure(e));
  }
}
