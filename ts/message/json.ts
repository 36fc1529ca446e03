/**
 * The lossless, type-tagged JSON form of a message (docs/WIRE_FORMAT.md section 5), for
 * debugging, tooling and golden vectors. `fromJSON` checks every field's shape and names the
 * path of the first problem; it accepts exactly what the binary codec can carry.
 */
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import { isUuid } from './hex.js';
import { Header, MESSAGE_TYPES, Message, type MessageType, Metadata } from './message.js';
import { Container, TYPE_NAMES, Tag, ValueList } from './value.js';

/** A tagged value of the JSON form. */
export type TaggedValue =
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  | { t: 'i32'; v: number }
  | { t: 'i64'; v: string }
  | { t: 'f64'; v: number | string }
  | { t: 'str'; v: string }
  | { t: 'bytes'; v: string }
  | { t: 'array'; v: TaggedValue[] }
  | { t: 'map'; v: [string, TaggedValue][] };

/** The JSON form of a message. */
export interface MessageJson {
  id: string;
  type: MessageType;
  source: string;
  target: string;
  topic: string;
  traceId: string | null;
  correlationId: string | null;
  replyTo: string | null;
  timestamp: number | string;
  version: string;
  headers: [string, string][];
  body: [string, TaggedValue][];
  priority: number;
  ttl: number;
  retryCount: number;
  metadata: [string, string][];
}

function taggedF64(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Object.is(v, -0)) return '-0';
  return v;
}

function tagged(tag: number, v: unknown): TaggedValue {
  switch (tag) {
    case Tag.null:
      return { t: 'null' };
    case Tag.bool:
      return { t: 'bool', v: v as boolean };
    case Tag.i32:
      return { t: 'i32', v: v as number };
    case Tag.i64:
      return { t: 'i64', v: String(v) };
    case Tag.f64:
      return { t: 'f64', v: taggedF64(v as number) };
    case Tag.str:
      return { t: 'str', v: v as string };
    case Tag.bytes:
      return { t: 'bytes', v: Buffer.from((v as Uint8Array).buffer, (v as Uint8Array).byteOffset, (v as Uint8Array).length).toString('hex') };
    case Tag.array: {
      const list = v as ValueList;
      return { t: 'array', v: list.tags.map((t, i) => tagged(t, list.values[i])) };
    }
    default:
      return { t: 'map', v: containerJson(v as Container) };
  }
}

function containerJson(c: Container): [string, TaggedValue][] {
  return c.keys.map((k, i) => [k, tagged(c.tags[i] as number, c.values[i])]);
}

/** The JSON form of `msg` as an object. */
export function toJSONValue(msg: Message): MessageJson {
  const { header: h, metadata: m } = msg;
  return {
    id: h.id,
    type: h.type,
    source: h.source,
    target: h.target,
    topic: h.topic,
    traceId: h.traceId,
    correlationId: h.correlationId,
    replyTo: h.replyTo,
    timestamp: h.timestamp,
    version: h.version,
    headers: [...h.headers],
    body: containerJson(msg.body),
    priority: m.priority,
    ttl: m.ttl,
    retryCount: m.retryCount,
    metadata: [...m.values],
  };
}

/** The lossless, type-tagged JSON text of `msg` (indented when `space` is given). */
export function toJSON(msg: Message, space?: number): string {
  return JSON.stringify(toJSONValue(msg), null, space);
}

class JsonShapeError extends Error {}

function problem(path: string, what: string): never {
  throw new JsonShapeError(`${path}: ${what}`);
}

function str(v: unknown, path: string): string {
  return typeof v === 'string' ? v : problem(path, `expected a string, got ${JSON.stringify(v) ?? typeof v}`);
}

function optStr(v: unknown, path: string): string | null {
  return v === null || v === undefined ? null : str(v, path);
}

function uint(v: unknown, path: string, max: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max ? v : problem(path, `expected an integer 0-${max}, got ${JSON.stringify(v)}`);
}

function stringPairs(v: unknown, path: string): Map<string, string> {
  if (!Array.isArray(v)) problem(path, 'expected a list of [key, value] pairs');
  const map = new Map<string, string>();
  v.forEach((pair: unknown, i: number) => {
    if (!Array.isArray(pair) || pair.length !== 2) problem(`${path}[${i}]`, 'expected a [key, value] pair');
    const k = str(pair[0], `${path}[${i}][0]`);
    if (map.has(k)) problem(`${path}[${i}]`, `duplicate key "${k}"`);
    map.set(k, str(pair[1], `${path}[${i}][1]`));
  });
  return map;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const F64_WORDS: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY, '-0': -0 };

function untag(v: unknown, path: string, depth: number): [number, unknown] {
  if (depth > 128) problem(path, 'nested deeper than 128 levels');
  if (typeof v !== 'object' || v === null || Array.isArray(v)) problem(path, 'expected a tagged value {"t": type, "v": value}');
  const { t, v: inner } = v as { t?: unknown; v?: unknown };
  const tag = TYPE_NAMES.indexOf(t as never);
  switch (tag) {
    case Tag.null:
      return [tag, null];
    case Tag.bool:
      return typeof inner === 'boolean' ? [tag, inner] : problem(path, 'expected a boolean');
    case Tag.i32:
      return typeof inner === 'number' && Number.isInteger(inner) && inner >= -0x80000000 && inner <= 0x7fffffff
        ? [tag, inner === 0 ? 0 : inner]
        : problem(path, 'expected an integer in int32 range');
    case Tag.i64: {
      const text = typeof inner === 'number' && Number.isSafeInteger(inner) ? String(inner) : inner;
      if (typeof text !== 'string' || !/^-?\d{1,20}$/.test(text)) problem(path, 'expected an int64 as a decimal string');
      const big = BigInt(text);
      if (big < I64_MIN || big > I64_MAX) problem(path, 'int64 out of range');
      return [tag, big >= -(2n ** 53n) + 1n && big <= 2n ** 53n - 1n ? Number(big) : big];
    }
    case Tag.f64:
      if (typeof inner === 'number') return [tag, inner];
      if (typeof inner === 'string' && inner in F64_WORDS) return [tag, F64_WORDS[inner]];
      return problem(path, 'expected a number or "NaN", "Infinity", "-Infinity", "-0"');
    case Tag.str:
      return [tag, str(inner, path)];
    case Tag.bytes: {
      const hex = str(inner, path);
      if (!/^(?:[0-9a-f]{2})*$/.test(hex)) problem(path, 'expected lowercase hex bytes');
      return [tag, new Uint8Array(Buffer.from(hex, 'hex'))];
    }
    case Tag.array: {
      if (!Array.isArray(inner)) problem(path, 'expected a list of tagged values');
      const list = new ValueList();
      inner.forEach((item: unknown, i: number) => {
        const [itemTag, itemValue] = untag(item, `${path}[${i}]`, depth + 1);
        list.tags.push(itemTag);
        list.values.push(itemValue);
      });
      return [tag, list];
    }
    case Tag.map:
      return [tag, container(inner, path, depth + 1)];
    default:
      return problem(path, `unknown value type ${JSON.stringify(t)} (expected one of ${TYPE_NAMES.join(', ')})`);
  }
}

function container(v: unknown, path: string, depth: number): Container {
  if (!Array.isArray(v)) problem(path, 'expected a list of [key, tagged value] pairs');
  const c = new Container();
  v.forEach((pair: unknown, i: number) => {
    if (!Array.isArray(pair) || pair.length !== 2) problem(`${path}[${i}]`, 'expected a [key, tagged value] pair');
    const key = str(pair[0], `${path}[${i}][0]`);
    const [tag, value] = untag(pair[1], `${path}[${i}][1]`, depth);
    c.pushRaw(key, tag, value);
  });
  return c;
}

function timestamp(v: unknown): number {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,16}$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
  return problem('timestamp', `expected an integer of ms within ±(2^53-1), got ${JSON.stringify(v)}`);
}

/** Builds a message from its JSON form (an object already parsed). */
export function fromJSONValue(json: unknown): Result<Message> {
  try {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) problem('(root)', 'expected an object');
    const j = json as Record<string, unknown>;
    const h = new Header();
    const id = str(j.id, 'id');
    if (!isUuid(id)) problem('id', `expected a lowercase UUID, got "${id}"`);
    h.id = id;
    const type = str(j.type ?? 'event', 'type');
    if (!MESSAGE_TYPES.includes(type as MessageType)) problem('type', `unknown message type "${type}"`);
    h.type = type as MessageType;
    h.source = str(j.source ?? '', 'source');
    h.target = str(j.target ?? '', 'target');
    h.topic = str(j.topic, 'topic');
    if (Buffer.byteLength(h.topic) > 0xffff) problem('topic', 'longer than 65535 bytes');
    h.traceId = optStr(j.traceId, 'traceId');
    if (h.traceId !== null && !/^[0-9a-f]{32}$/.test(h.traceId)) problem('traceId', 'expected 32 lowercase hex characters or null');
    h.correlationId = optStr(j.correlationId, 'correlationId');
    h.replyTo = optStr(j.replyTo, 'replyTo');
    h.timestamp = timestamp(j.timestamp ?? 0);
    h.version = str(j.version ?? '1.0.0', 'version');
    h.headers = stringPairs(j.headers ?? [], 'headers');
    const body = container(j.body ?? [], 'body', 1);
    const m = new Metadata();
    m.priority = uint(j.priority ?? 5, 'priority', 10);
    m.ttl = uint(j.ttl ?? 0, 'ttl', 0xffffffff);
    m.retryCount = uint(j.retryCount ?? 0, 'retryCount', 0xffffffff);
    m.values = stringPairs(j.metadata ?? [], 'metadata');
    return ok(new Message(h, body, m));
  } catch (e) {
    if (e instanceof JsonShapeError) return err(new MessagingError(ErrorCode.SERIALIZATION_ERROR, `invalid message JSON: ${e.message}`));
    return err(new MessagingError(ErrorCode.SERIALIZATION_ERROR, `invalid message JSON: ${(e as Error).message}`, { cause: e }));
  }
}

/** Parses the JSON form of a message; SERIALIZATION_ERROR names the path of the first problem. */
export function fromJSON(text: string): Result<Message> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return err(new MessagingError(ErrorCode.SERIALIZATION_ERROR, `invalid message JSON: ${(e as Error).message}`, { cause: e }));
  }
  return fromJSONValue(json);
}
