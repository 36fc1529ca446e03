/**
 * Hides secrets in log objects at any depth: values under keys that name a secret (password,
 * token, api key, private key, authorization, cookie...), PEM keys and certificates wherever they
 * appear (and TLS `key`/`cert`/`pfx` buffers), and the password inside a URL. It copies what it changes and never modifies the caller's object.
 */

/** The text that replaces a hidden value. */
export const REDACTED = '[REDACTED]';

/** Keys whose values are always hidden, at any depth. */
export const SECRET_KEY = /pass|secret|token|api.?key|private.?key|authorization|cookie|credential/i;

/**
 * The common places of secrets, as pino redact paths. `redactDeep` already hides them at any
 * depth; they are listed for callers that configure pino themselves.
 */
export const DEFAULT_REDACT_PATHS: readonly string[] = [
  'password',
  'passphrase',
  'secret',
  'token',
  'apiKey',
  'api_key',
  'authorization',
  '*.password',
  '*.passphrase',
  '*.secret',
  '*.token',
  '*.apiKey',
  '*.api_key',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

const MAX_DEPTH = 12;
const PEM = /-----BEGIN [A-Z0-9 ]+-----/;
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi;

function scrubString(value: string): string {
  if (value.length > 30 && value.includes('-----BEGIN') && PEM.test(value)) return REDACTED;
  if (value.includes('://') && value.includes('@')) return value.replace(URL_PASSWORD, `$1${REDACTED}@`);
  return value;
}

const keyVerdicts = new Map<string, boolean>();

/** True when `key` names a secret (cached: log keys repeat). */
export function isSecretKey(key: string): boolean {
  let verdict = keyVerdicts.get(key);
  if (verdict === undefined) {
    verdict = SECRET_KEY.test(key);
    if (keyVerdicts.size < 10_000) keyVerdicts.set(key, verdict);
  }
  return verdict;
}

function isTlsMaterial(key: string, value: unknown): boolean {
  return (key === 'key' || key === 'cert' || key === 'pfx') && value instanceof Uint8Array;
}

/**
 * `value` with every secret hidden: the same reference when nothing was hidden, else a copy of
 * the changed branches. Cycles and depths past 12 are left as they are. The set of visited
 * objects is made only when there is a nested object to enter, so a flat log object (the common
 * case) costs no allocation.
 */
export function redactDeep<T>(value: T, depth = 0, seen?: WeakSet<object>): T {
  if (typeof value === 'string') return scrubString(value) as T;
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (value instanceof Error || ArrayBuffer.isView(value) || value instanceof Date) return value;
  if (seen !== undefined) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  let visited = seen;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      let next: unknown;
      if (typeof item === 'object' && item !== null) next = redactDeep(item, depth + 1, (visited ??= new WeakSet<object>([value])));
      else next = typeof item === 'string' ? scrubString(item) : item;
      if (next !== item) {
        copy ??= value.slice();
        copy[i] = next;
      }
    }
    return (copy ?? value) as T;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    let next: unknown;
    if (item === undefined || item === null) continue;
    if (isSecretKey(key) || isTlsMaterial(key, item)) next = REDACTED;
    else if (typeof item === 'object') next = redactDeep(item, depth + 1, (visited ??= new WeakSet<object>([value])));
    else next = typeof item === 'string' ? scrubString(item) : item;
    if (next !== item) {
      copy ??= { ...record };
      copy[key] = next;
    }
  }
  return (copy ?? value) as T;
}
