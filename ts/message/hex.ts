/**
 * Hex text of ids and trace ids: 16 bytes <-> `8-4-4-4-12` UUID text or 32 hex characters.
 * Table-driven so the per-message paths stay cheap; never allocates more than the result.
 */

const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) HEX_VALUE[97 + i] = 10 + i;

/** 32 lowercase hex characters of `bytes[at, at+16)`. */
export function hex16(bytes: Uint8Array, at = 0): string {
  const h = BYTE_HEX;
  return (
    h[bytes[at]!]! + h[bytes[at + 1]!]! + h[bytes[at + 2]!]! + h[bytes[at + 3]!]! +
    h[bytes[at + 4]!]! + h[bytes[at + 5]!]! + h[bytes[at + 6]!]! + h[bytes[at + 7]!]! +
    h[bytes[at + 8]!]! + h[bytes[at + 9]!]! + h[bytes[at + 10]!]! + h[bytes[at + 11]!]! +
    h[bytes[at + 12]!]! + h[bytes[at + 13]!]! + h[bytes[at + 14]!]! + h[bytes[at + 15]!]!
  );
}

/** UUID text (`8-4-4-4-12`, lowercase) of `bytes[at, at+16)`. */
export function uuidText(bytes: Uint8Array, at = 0): string {
  const h = BYTE_HEX;
  return (
    h[bytes[at]!]! + h[bytes[at + 1]!]! + h[bytes[at + 2]!]! + h[bytes[at + 3]!]! + '-' +
    h[bytes[at + 4]!]! + h[bytes[at + 5]!]! + '-' + h[bytes[at + 6]!]! + h[bytes[at + 7]!]! + '-' +
    h[bytes[at + 8]!]! + h[bytes[at + 9]!]! + '-' +
    h[bytes[at + 10]!]! + h[bytes[at + 11]!]! + h[bytes[at + 12]!]! + h[bytes[at + 13]!]! + h[bytes[at + 14]!]! + h[bytes[at + 15]!]!
  );
}

/**
 * Writes the 16 bytes spelled by `text` (32 hex characters, dashes skipped) at `out[at]`.
 * Returns false, writing nothing useful, when `text` is not exactly that.
 */
export function writeHex16(text: string, out: Uint8Array, at = 0): boolean {
  let j = 0;
  for (let i = 0; i < 16; i++) {
    let c = text.charCodeAt(j++);
    if (c === 45) c = text.charCodeAt(j++);
    const hi = c < 128 ? HEX_VALUE[c]! : -1;
    const lo0 = text.charCodeAt(j++);
    const lo = lo0 < 128 ? HEX_VALUE[lo0]! : -1;
    if (hi < 0 || lo < 0) return false;
    out[at + i] = (hi << 4) | lo;
  }
  return j === text.length;
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `text` is a W3C trace id: 32 lowercase hex characters, not all zero. */
export function isTraceId(text: string): boolean {
  return TRACE_ID.test(text) && text !== '00000000000000000000000000000000';
}

/** Whether `text` is a lowercase UUID (`8-4-4-4-12`). */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
