/**
 * The TypeScript decoder of the binary message format. It accepts exactly what crates/core's
 * decoder accepts (a differential property test proves it) and returns SERIALIZATION_ERROR
 * naming what is wrong and the byte offset. Every length is checked against the bytes left
 * before it is used; nothing is allocated from an unchecked length.
 */
import { ErrorCode } from '../../core/error-codes.js';
import { MessagingError } from '../../core/errors.js';
import { type Result, err, ok } from '../../core/result.js';
import { crc32cAppend } from '../crc32c.js';
import { hex16, uuidText } from '../hex.js';
import { Header, MESSAGE_TYPES, Message, type MessageType, Metadata } from '../message.js';
import { Container, Tag, ValueList } from '../value.js';
import { readUtf8 } from './utf8.js';
import {
  type CodecLimits,
  CHECKSUM_LEN,
  DEFAULT_LIMITS,
  FLAG_CHECKSUM,
  FLAG_CORRELATION_ID,
  FLAG_REPLY_TO,
  FLAG_TRACE_ID,
  FORMAT_VERSION,
  KNOWN_FLAGS,
  MAGIC_0,
  MAGIC_1,
  MAX_DEPTH_CEILING,
  OFF_BODY_OFFSET,
  OFF_FLAGS,
  OFF_ID,
  OFF_META_OFFSET,
  OFF_PRIORITY,
  OFF_RETRY_COUNT,
  OFF_TTL,
  OFF_TOPIC,
  OFF_TIMESTAMP,
  OFF_TOPIC_LEN,
  OFF_TOTAL_LEN,
  OFF_TRACE_ID,
  OFF_TYPE,
  OFF_VERSION,
  PREAMBLE_LEN,
} from './layout.js';

/** Thrown inside the decoder only; `decode` turns it into a SERIALIZATION_ERROR result. */
export class DecodeError extends Error {}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

let b: Uint8Array = new Uint8Array(0);
let p = 0;
let end = 0;
let lim: CodecLimits = DEFAULT_LIMITS;

function fail(at: number, what: string): never {
  throw new DecodeError(`${what} at offset ${at}`);
}

function u32At(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) + bytes[at + 3]! * 0x1000000;
}

function need(n: number, what: string): void {
  if (n > end - p) fail(p, `truncated ${what}: needs ${n} bytes, ${Math.max(0, end - p)} left`);
}

function u32(what: string): number {
  need(4, what);
  const v = u32At(b, p);
  p += 4;
  return v;
}

function str(what: string): string {
  const at = p;
  const len = u32(what);
  if (len > lim.maxStringLen) fail(at, `${what} length ${len} exceeds the limit ${lim.maxStringLen}`);
  return str0(len, what);
}

/** Reads a string of `len` bytes at `p`. */
function str0(len: number, what: string): string {
  need(len, what);
  const s = readUtf8(b, p, len);
  if (s === null) fail(p, `invalid UTF-8 in ${what}`);
  p += len;
  return s;
}

function count(minEntry: number, what: string): number {
  const at = p;
  const n = u32(what);
  if (n > lim.maxFields) fail(at, `${what} count ${n} exceeds the limit ${lim.maxFields}`);
  if (n * minEntry > end - p) fail(at, `${what} count ${n} points past the end (${end - p} bytes left)`);
  return n;
}

/** Reads string pairs into a Map; null when there are none (the owner makes its Map on first read). */
function pairs(what: string): Map<string, string> | null {
  const n = count(8, what);
  if (n === 0) return null;
  const map = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const at = p;
    const k = str(what);
    const v = str(what);
    if (map.has(k)) fail(at, `duplicate ${what} key "${k.slice(0, 40)}"`);
    map.set(k, v);
  }
  return map;
}

/** Reads `n` (at least 1) strings into a list (user header keys and values known to be unique). */
function stringList(n: number): string[] {
  const list = [str('header')];
  for (let i = 1; i < n; i++) list.push(str('header'));
  return list;
}

function checkDepth(at: number, depth: number): void {
  const max = Math.min(lim.maxDepth, MAX_DEPTH_CEILING);
  if (depth > max) fail(at, `nesting depth ${depth} exceeds the limit ${max}`);
}

function value(tag: number, at: number, depth: number): unknown {
  switch (tag) {
    case Tag.null:
      return null;
    case Tag.bool: {
      need(1, 'bool');
      const v = b[p++]!;
      if (v > 1) fail(at + 1, `bool byte ${v} is not 0 or 1`);
      return v === 1;
    }
    case Tag.i32: {
      need(4, 'int32');
      const v = b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
      p += 4;
      return v;
    }
    case Tag.i64: {
      need(8, 'int64');
      const lo = u32At(b, p);
      const hi = b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24);
      p += 8;
      if ((hi > -0x200000 || (hi === -0x200000 && lo !== 0)) && hi < 0x200000) return hi * 4294967296 + lo;
      return (BigInt(hi) << 32n) | BigInt(lo);
    }
    case Tag.f64: {
      need(8, 'float64');
      for (let i = 0; i < 8; i++) f64Bytes[i] = b[p + i]!;
      p += 8;
      return f64[0];
    }
    case Tag.str:
      return str('string value');
    case Tag.bytes: {
      const lenAt = p;
      const len = u32('bytes value');
      if (len > lim.maxStringLen) fail(lenAt, `bytes value length ${len} exceeds the limit ${lim.maxStringLen}`);
      need(len, 'bytes value');
      const out = b.slice(p, p + len);
      p += len;
      return out;
    }
    case Tag.array: {
      checkDepth(at, depth);
      const n = count(1, 'array');
      const list = new ValueList();
      for (let i = 0; i < n; i++) {
        const itemAt = p;
        need(1, 'value tag');
        const t = b[p++]!;
        list.tags.push(t);
        list.values.push(value(t, itemAt, depth + 1));
      }
      return list;
    }
    case Tag.map:
      checkDepth(at, depth);
      return container('map', depth + 1);
    default:
      return fail(at, `unknown value tag ${tag}`);
  }
}

function container(what: 'body' | 'map', depth: number): Container {
  const n = count(5, what);
  const c = new Container();
  // A constant label: a template literal here would build a string for every key read.
  const keyLabel = what === 'body' ? 'body key' : 'map key';
  for (let i = 0; i < n; i++) {
    const key = str(keyLabel);
    const at = p;
    need(1, 'value tag');
    const t = b[p++]!;
    c.keys.push(key);
    c.tags.push(t);
    c.values.push(value(t, at, depth));
  }
  return c;
}

/** The checked fields of a preamble, as `peekHeader` and `decode` need them. */
export interface Preamble {
  flags: number;
  total: number;
  type: MessageType;
  priority: number;
  topicEnd: number;
  contentEnd: number;
  bodyOffset: number;
  metaOffset: number;
}

/** Reads and checks the 68-byte preamble of `bytes` (the same checks as the native core). */
export function readPreamble(bytes: Uint8Array, maxSize: number): Preamble {
  if (bytes.length < PREAMBLE_LEN) fail(0, `truncated preamble: needs ${PREAMBLE_LEN} bytes, has ${bytes.length}`);
  if (bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1) fail(0, `bad magic ${hexByte(bytes[0]!)}${hexByte(bytes[1]!)}`);
  if (bytes[OFF_VERSION] !== FORMAT_VERSION) fail(OFF_VERSION, `unsupported format version ${bytes[OFF_VERSION]}`);
  const flags = bytes[OFF_FLAGS]!;
  if (flags & ~KNOWN_FLAGS) fail(OFF_FLAGS, `unknown flag bits 0x${hexByte(flags & ~KNOWN_FLAGS)}`);
  const total = u32At(bytes, OFF_TOTAL_LEN);
  if (total !== bytes.length) {
    const what = total > bytes.length ? 'truncated message' : 'trailing bytes after message';
    fail(OFF_TOTAL_LEN, `${what}: length field ${total}, bytes ${bytes.length}`);
  }
  if (total > Math.min(maxSize, 0xffffffff)) fail(OFF_TOTAL_LEN, `message length ${total} exceeds the limit ${maxSize}`);
  const type = MESSAGE_TYPES[bytes[OFF_TYPE]!];
  if (type === undefined) fail(OFF_TYPE, `unknown message type ${bytes[OFF_TYPE]}`);
  const priority = bytes[OFF_PRIORITY]!;
  if (priority > 10) fail(OFF_PRIORITY, `priority ${priority} above 10`);
  if (!(flags & FLAG_TRACE_ID)) {
    for (let i = OFF_TRACE_ID; i < OFF_TOPIC; i++) {
      if (bytes[i] !== 0) fail(OFF_TRACE_ID, 'trace id bytes set while the trace id flag is clear');
    }
  }
  const timestamp = i64At(bytes, OFF_TIMESTAMP);
  if (!Number.isSafeInteger(timestamp)) fail(OFF_TIMESTAMP, `timestamp ${timestamp} outside ±(2^53-1) ms`);
  const checksumLen = flags & FLAG_CHECKSUM ? CHECKSUM_LEN : 0;
  if (total < PREAMBLE_LEN + checksumLen) fail(OFF_TOTAL_LEN, `message length ${total} leaves no room for the checksum`);
  const contentEnd = total - checksumLen;
  const topicEnd = OFF_TOPIC + (bytes[OFF_TOPIC_LEN]! | (bytes[OFF_TOPIC_LEN + 1]! << 8));
  if (topicEnd > contentEnd) fail(OFF_TOPIC_LEN, `topic length ${topicEnd - OFF_TOPIC} points past the end (${contentEnd})`);
  const bodyOffset = u32At(bytes, OFF_BODY_OFFSET);
  const metaOffset = u32At(bytes, OFF_META_OFFSET);
  if (bodyOffset < topicEnd || bodyOffset > contentEnd) fail(OFF_BODY_OFFSET, `body offset ${bodyOffset} outside ${topicEnd}..=${contentEnd}`);
  if (metaOffset < bodyOffset || metaOffset > contentEnd) fail(OFF_META_OFFSET, `metadata offset ${metaOffset} outside ${bodyOffset}..=${contentEnd}`);
  return { flags, total, type, priority, topicEnd, contentEnd, bodyOffset, metaOffset };
}

function hexByte(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Reads the topic of a checked preamble, or fails on invalid UTF-8. */
export function readTopic(bytes: Uint8Array, topicEnd: number): string {
  const topic = readUtf8(bytes, OFF_TOPIC, topicEnd - OFF_TOPIC);
  if (topic === null) fail(OFF_TOPIC, 'invalid UTF-8 in topic');
  return topic;
}

function expectAt(expected: number, what: string): void {
  if (p !== expected) fail(p, `${what} should start at offset ${expected}`);
}

function i64At(bytes: Uint8Array, at: number): number {
  const hi = bytes[at + 4]! | (bytes[at + 5]! << 8) | (bytes[at + 6]! << 16) | (bytes[at + 7]! << 24);
  return hi * 4294967296 + u32At(bytes, at);
}

/** Reads the header strings and user headers after the topic (shared with the header peek). */
function readHeaderStrings(bytes: Uint8Array, pre: Preamble, h: Header): void {
  b = bytes;
  p = pre.topicEnd;
  end = pre.contentEnd;
  h.source = str('source');
  h.target = str('target');
  h.version = str('version');
  if (pre.flags & FLAG_CORRELATION_ID) h.correlationId = str('correlation id');
  if (pre.flags & FLAG_REPLY_TO) h.replyTo = str('reply-to');
  const headers = pairs('header');
  if (headers !== null) h.headers = headers;
  expectAt(pre.bodyOffset, 'body section');
  h.id = uuidText(bytes, OFF_ID);
  if (pre.flags & FLAG_TRACE_ID) h.traceId = hex16(bytes, OFF_TRACE_ID);
  h.type = pre.type;
  h.timestamp = i64At(bytes, 16);
}

/** Reads the header of `bytes` without touching the body (no checksum check: O(header)). */
export function peekInto(bytes: Uint8Array, h: Header, limits: CodecLimits): Preamble {
  lim = limits;
  const pre = readPreamble(bytes, lim.maxMessageSize);
  h.topic = readTopic(bytes, pre.topicEnd);
  readHeaderStrings(bytes, pre, h);
  return pre;
}

function decodeMessage(bytes: Uint8Array): Message {
  const pre = readPreamble(bytes, lim.maxMessageSize);
  if (pre.flags & FLAG_CHECKSUM) {
    const stored = u32At(bytes, pre.contentEnd);
    const actual = crc32cAppend(0, bytes, 0, pre.contentEnd);
    if (stored !== actual) {
      fail(pre.contentEnd, `checksum mismatch: stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${actual.toString(16).padStart(8, '0')}`);
    }
  }
  const h = new Header();
  h.topic = readTopic(bytes, pre.topicEnd);
  readHeaderStrings(bytes, pre, h);
  const body = container('body', 1);
  expectAt(pre.metaOffset, 'metadata section');
  const m = new Metadata();
  const values = pairs('metadata');
  if (values !== null) m.values = values;
  expectAt(pre.contentEnd, 'end of message');
  m.priority = pre.priority;
  m.ttl = u32At(bytes, 12);
  m.retryCount = u32At(bytes, 24);
  return new Message(h, body, m);
}

/** Decodes the body of the message at `bytes[at]`, which a validator already accepted (the lazy path). */
function bodyOf(bytes: Uint8Array, at: number): Container {
  const saved = lim;
  lim = DEFAULT_LIMITS;
  b = bytes;
  p = at + u32At(bytes, at + OFF_BODY_OFFSET);
  end = at + u32At(bytes, at + OFF_META_OFFSET);
  try {
    return container('body', 1);
  } finally {
    b = EMPTY;
    lim = saved;
  }
}

/**
 * A message from the `len` bytes at `bytes[at]`, already validated as a whole (by the native
 * batch validator): header and metadata now, without checking them again, id, trace id and
 * body on first access. The bytes must not change afterwards. Throws DecodeError only if the
 * bytes were not validated.
 */
export function decodeValidated(bytes: Uint8Array, at: number, len: number): Message {
  lim = DEFAULT_LIMITS;
  const flags = bytes[at + OFF_FLAGS]!;
  const topicLen = bytes[at + OFF_TOPIC_LEN]! | (bytes[at + OFF_TOPIC_LEN + 1]! << 8);
  const h = new Header();
  h.type = MESSAGE_TYPES[bytes[at + OFF_TYPE]!] as MessageType;
  h.timestamp = i64At(bytes, at + OFF_TIMESTAMP);
  h.setIdBytes(bytes, at + OFF_ID);
  if (flags & FLAG_TRACE_ID) h.setTraceIdBytes(bytes, at + OFF_TRACE_ID);
  b = bytes;
  p = at + OFF_TOPIC;
  end = at + len;
  h.topic = str0(topicLen, 'topic');
  h.source = str('source');
  h.target = str('target');
  h.version = str('version');
  if (flags & FLAG_CORRELATION_ID) h.correlationId = str('correlation id');
  if (flags & FLAG_REPLY_TO) h.replyTo = str('reply-to');
  const headerCount = count(8, 'header');
  if (headerCount > 0) h.setHeaderList(stringList(2 * headerCount));
  const m = new Metadata();
  m.priority = bytes[at + OFF_PRIORITY]!;
  m.ttl = u32At(bytes, at + OFF_TTL);
  m.retryCount = u32At(bytes, at + OFF_RETRY_COUNT);
  p = at + u32At(bytes, at + OFF_META_OFFSET);
  const values = pairs('metadata');
  if (values !== null) m.values = values;
  b = EMPTY;
  return Message.lazy(h, m, bytes, bodyOf, at);
}

/** Runs `fn` as a decode step: a DecodeError becomes SERIALIZATION_ERROR. */
export function decoding<T>(fn: () => T, context = ''): Result<T> {
  try {
    return ok(fn());
  } catch (e) {
    return err(decodeFailure(e, context));
  } finally {
    b = EMPTY;
  }
}

/** The SERIALIZATION_ERROR for an exception thrown while decoding. */
function decodeFailure(e: unknown, context: string): MessagingError {
  if (e instanceof DecodeError) return new MessagingError(ErrorCode.SERIALIZATION_ERROR, `cannot decode${context}: ${e.message}`);
  return new MessagingError(ErrorCode.SERIALIZATION_ERROR, `cannot decode${context}: ${(e as Error).message}`, { cause: e });
}

const EMPTY = new Uint8Array(0);

/** Decodes one message; SERIALIZATION_ERROR names what is wrong and its byte offset. */
export function decode(bytes: Uint8Array, limits: CodecLimits = DEFAULT_LIMITS): Result<Message> {
  lim = limits;
  // The body of `decoding`, written out: this path is hot enough that a closure per call shows.
  try {
    return ok(decodeMessage(bytes));
  } catch (e) {
    return err(decodeFailure(e, ''));
  } finally {
    b = EMPTY;
  }
}

/** Decodes the batch form (u32 length + message, repeated) into messages. */
export function decodeBatchTs(bytes: Uint8Array, limits: CodecLimits = DEFAULT_LIMITS): Result<Message[]> {
  lim = limits;
  return decoding(() => {
    const out: Message[] = [];
    let at = 0;
    while (at < bytes.length) {
      if (bytes.length - at < 4) fail(at, `truncated batch member length: needs 4 bytes, ${bytes.length - at} left`);
      const len = u32At(bytes, at);
      if (len > bytes.length - at - 4) fail(at + 4, `truncated batch member: needs ${len} bytes, ${bytes.length - at - 4} left`);
      const member = bytes.subarray(at + 4, at + 4 + len);
      try {
        out.push(decodeMessage(member));
      } catch (e) {
        if (e instanceof DecodeError) throw new DecodeError(`batch member ${out.length} at offset ${at}: ${e.message}`);
        throw e;
      }
      at += 4 + len;
    }
    return out;
  });
}
