/**
 * Typed values of a message body. Every value keeps its wire type, so an int32 and a float64 of
 * the same number stay distinct through every round trip. Containers are ordered. This module
 * only models values; it never encodes or validates bytes.
 */

/** Wire tags of the value types (docs/WIRE_FORMAT.md 1.4). */
export const Tag = {
  null: 0,
  bool: 1,
  i32: 2,
  i64: 3,
  f64: 4,
  str: 5,
  bytes: 6,
  array: 7,
  map: 8,
} as const;

/** The name of a value type, as the type-tagged JSON form spells it. */
export type ValueType = keyof typeof Tag;

/** Value type names by wire tag. */
export const TYPE_NAMES: readonly ValueType[] = ['null', 'bool', 'i32', 'i64', 'f64', 'str', 'bytes', 'array', 'map'];

/** A value as JS code reads it: int64 is a number when safe, a bigint beyond 2^53. */
export type PlainValue = null | boolean | number | bigint | string | Uint8Array | PlainValue[] | Container;

/** A JS value a body accepts: plain values, nested plain objects and typed lists. */
export type InputValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly InputValue[]
  | Container
  | ValueList
  | { readonly [key: string]: InputValue };

/** A typed array value: parallel lists of wire tags and stored values. */
export class ValueList {
  readonly tags: number[] = [];
  readonly values: unknown[] = [];

  /** Number of elements. */
  get length(): number {
    return this.tags.length;
  }

  /** The element at `index` as JS code reads it. */
  get(index: number): PlainValue | undefined {
    const tag = this.tags[index];
    return tag === undefined ? undefined : plain(tag, this.values[index]);
  }

  /** The wire type of the element at `index`. */
  typeAt(index: number): ValueType | undefined {
    const tag = this.tags[index];
    return tag === undefined ? undefined : TYPE_NAMES[tag];
  }

  /** The elements as a JS array (nested lists become arrays, maps stay Containers). */
  toArray(): PlainValue[] {
    const out: PlainValue[] = [];
    for (let i = 0; i < this.tags.length; i++) out.push(plain(this.tags[i] as number, this.values[i]));
    return out;
  }
}

/** An ordered container of named typed values: a message body or a nested map. */
export class Container {
  readonly keys: string[] = [];
  readonly tags: number[] = [];
  readonly values: unknown[] = [];

  /** Number of entries. */
  get size(): number {
    return this.keys.length;
  }

  /** Whether an entry is named `key`. */
  has(key: string): boolean {
    return this.keys.indexOf(key) !== -1;
  }

  /** The value named `key` as JS code reads it (the first entry of that name). */
  get(key: string): PlainValue | undefined {
    const i = this.keys.indexOf(key);
    return i === -1 ? undefined : plain(this.tags[i] as number, this.values[i]);
  }

  /** The wire type of the value named `key`. */
  typeOf(key: string): ValueType | undefined {
    const i = this.keys.indexOf(key);
    return i === -1 ? undefined : TYPE_NAMES[this.tags[i] as number];
  }

  /** Entries in order as `[key, value]`. */
  *entries(): IterableIterator<[string, PlainValue]> {
    for (let i = 0; i < this.keys.length; i++) yield [this.keys[i] as string, plain(this.tags[i] as number, this.values[i])];
  }

  /** A plain object of the entries (nested maps too); a later duplicate key wins. */
  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < this.keys.length; i++) out[this.keys[i] as string] = deepPlain(this.tags[i] as number, this.values[i]);
    return out;
  }

  /** Appends an entry whose value is already in stored form (used by decoders and builders). */
  pushRaw(key: string, tag: number, value: unknown): void {
    this.keys.push(key);
    this.tags.push(tag);
    this.values.push(value);
  }
}

function plain(tag: number, value: unknown): PlainValue {
  return tag === Tag.array ? (value as ValueList).toArray() : (value as PlainValue);
}

function deepPlain(tag: number, value: unknown): unknown {
  if (tag === Tag.map) return (value as Container).toObject();
  if (tag === Tag.array) {
    const list = value as ValueList;
    return list.tags.map((t, i) => deepPlain(t, list.values[i]));
  }
  return value;
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Why a value could not be stored: the path inside the body and what is wrong. */
export interface ValueProblem {
  path: string;
  problem: string;
}

/**
 * The wire tag a JS value gets when no type is given (docs/MESSAGES.md): an integral number in
 * int32 range is i32, another safe integer is i64, any other number (fractions, NaN, ±Infinity,
 * -0) is f64; a bigint is i64; strings, booleans, null/undefined, Uint8Array, arrays, plain
 * objects and Containers map to str, bool, null, bytes, array and map.
 */
export function inferTag(value: unknown): number {
  switch (typeof value) {
    case 'number':
      if (Number.isInteger(value) && !Object.is(value, -0)) {
        return value >= INT32_MIN && value <= INT32_MAX ? Tag.i32 : Number.isSafeInteger(value) ? Tag.i64 : Tag.f64;
      }
      return Tag.f64;
    case 'string':
      return Tag.str;
    case 'boolean':
      return Tag.bool;
    case 'bigint':
      return Tag.i64;
    case 'undefined':
      return Tag.null;
    case 'object':
      if (value === null) return Tag.null;
      if (value instanceof Uint8Array) return Tag.bytes;
      if (Array.isArray(value) || value instanceof ValueList) return Tag.array;
      return Tag.map;
    default:
      return -1;
  }
}

/**
 * Converts `value` to the stored form of wire tag `tag`, or returns a problem. `path` names the
 * value in error messages. Numbers given as i64 stay numbers when safe; bigints beyond the safe
 * range stay bigints.
 */
export function toStored(value: unknown, tag: number, path: string, depth = 0): { ok: true; value: unknown } | ValueProblem {
  if (depth > 32) return { path, problem: 'nesting deeper than 32 levels' };
  switch (tag) {
    case Tag.null:
      return value === null || value === undefined ? { ok: true, value: null } : mismatch(path, 'null', value);
    case Tag.bool:
      return typeof value === 'boolean' ? { ok: true, value } : mismatch(path, 'bool', value);
    case Tag.i32:
      return typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX
        ? { ok: true, value: value === 0 ? 0 : value }
        : mismatch(path, 'an integer in int32 range', value);
    case Tag.i64: {
      if (typeof value === 'number' && Number.isSafeInteger(value)) return { ok: true, value: value === 0 ? 0 : value };
      if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) {
        return { ok: true, value: value >= -(2n ** 53n) + 1n && value <= 2n ** 53n - 1n ? Number(value) : value };
      }
      return mismatch(path, 'a safe integer or a bigint in int64 range', value);
    }
    case Tag.f64:
      return typeof value === 'number' ? { ok: true, value } : mismatch(path, 'a number', value);
    case Tag.str:
      return typeof value === 'string' ? { ok: true, value } : mismatch(path, 'a string', value);
    case Tag.bytes:
      return value instanceof Uint8Array ? { ok: true, value } : mismatch(path, 'a Uint8Array', value);
    case Tag.array:
      return toList(value, path, depth);
    case Tag.map:
      return toContainer(value, path, depth);
    default:
      return { path, problem: `unknown value type tag ${tag}` };
  }
}

function mismatch(path: string, expected: string, value: unknown): ValueProblem {
  const shown = typeof value === 'bigint' ? `${value}n` : typeof value === 'string' ? JSON.stringify(value) : String(value);
  return { path, problem: `expected ${expected}, got ${typeof value} ${shown.slice(0, 40)}` };
}

function toList(value: unknown, path: string, depth: number): { ok: true; value: ValueList } | ValueProblem {
  if (value instanceof ValueList) return { ok: true, value };
  if (!Array.isArray(value)) return mismatch(path, 'an array', value);
  const list = new ValueList();
  for (let i = 0; i < value.length; i++) {
    const tag = inferTag(value[i]);
    const stored = tag === -1 ? mismatch(`${path}[${i}]`, 'a storable value', value[i]) : toStored(value[i], tag, `${path}[${i}]`, depth + 1);
    if (!('ok' in stored)) return stored;
    list.tags.push(tag);
    list.values.push(stored.value);
  }
  return { ok: true, value: list };
}

function toContainer(value: unknown, path: string, depth: number): { ok: true; value: Container } | ValueProblem {
  if (value instanceof Container) return { ok: true, value };
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    return mismatch(path, 'a plain object or a Container', value);
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return mismatch(path, 'a plain object or a Container', value);
  const container = new Container();
  for (const [key, v] of Object.entries(value)) {
    const tag = inferTag(v);
    const stored = tag === -1 ? mismatch(`${path}.${key}`, 'a storable value', v) : toStored(v, tag, `${path}.${key}`, depth + 1);
    if (!('ok' in stored)) return stored;
    container.pushRaw(key, tag, stored.value);
  }
  return { ok: true, value: container };
}
