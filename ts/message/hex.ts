/**
 * Hex text of ids and trace ids: 16 bytes <-> `8-4-4-4-12` UUID text or 32 hex characters.
 * Table-driven and written by hand (no regexes, no string concatenation) so the per-message
 * paths stay cheap and the strings made are flat; never allocates more than the result.
 */

const DIGITS = '0123456789abcdef';
/** Char code of the high and low hex digit of each byte. */
const HI = new Uint8Array(256);
const LO = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  HI[i] = DIGITS.charCodeAt(i >> 4);
  LO[i] = DIGITS.charCodeAt(i & 15);
}
/** Value of a hex digit by char code (lowercase only), -1 for anything else. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) HEX_VALUE[97 + i] = 10 + i;
/** Value of a hex digit by char code, either case, -1 for anything else. */
const HEX_VALUE_ANY_CASE = HEX_VALUE.slice();
for (let i = 0; i < 6; i++) HEX_VALUE_ANY_CASE[65 + i] = 10 + i;
/** Byte value of two hex digits of any case by `(code1 << 7) | code2`, -1 for anything else. */
const PAIR = new Int16Array(128 * 128).fill(-1);
for (let a = 0; a < 128; a++) {
  for (let b = 0; b < 128; b++) {
    const hi = HEX_VALUE_ANY_CASE[a]!;
    const lo = HEX_VALUE_ANY_CASE[b]!;
    if (hi >= 0 && lo >= 0) PAIR[(a << 7) | b] = (hi << 4) | lo;
  }
}
/** Char codes of lowercase hex digits all have this bit; uppercase `A`-`F` do not. */
const LOWER_BIT = 0x20;

const fcc = String.fromCharCode;
const DASH = 45;

/** 32 lowercase hex characters of `bytes[at, at+16)`. */
export function hex16(b: Uint8Array, at = 0): string {
  const p = at;
  return fcc(
    HI[b[p]!]!, LO[b[p]!]!, HI[b[p + 1]!]!, LO[b[p + 1]!]!, HI[b[p + 2]!]!, LO[b[p + 2]!]!, HI[b[p + 3]!]!, LO[b[p + 3]!]!,
    HI[b[p + 4]!]!, LO[b[p + 4]!]!, HI[b[p + 5]!]!, LO[b[p + 5]!]!, HI[b[p + 6]!]!, LO[b[p + 6]!]!, HI[b[p + 7]!]!, LO[b[p + 7]!]!,
    HI[b[p + 8]!]!, LO[b[p + 8]!]!, HI[b[p + 9]!]!, LO[b[p + 9]!]!, HI[b[p + 10]!]!, LO[b[p + 10]!]!, HI[b[p + 11]!]!, LO[b[p + 11]!]!,
    HI[b[p + 12]!]!, LO[b[p + 12]!]!, HI[b[p + 13]!]!, LO[b[p + 13]!]!, HI[b[p + 14]!]!, LO[b[p + 14]!]!, HI[b[p + 15]!]!, LO[b[p + 15]!]!,
  );
}

/** UUID text (`8-4-4-4-12`, lowercase) of `bytes[at, at+16)`. */
export function uuidText(b: Uint8Array, at = 0): string {
  const p = at;
  return fcc(
    HI[b[p]!]!, LO[b[p]!]!, HI[b[p + 1]!]!, LO[b[p + 1]!]!, HI[b[p + 2]!]!, LO[b[p + 2]!]!, HI[b[p + 3]!]!, LO[b[p + 3]!]!, DASH,
    HI[b[p + 4]!]!, LO[b[p + 4]!]!, HI[b[p + 5]!]!, LO[b[p + 5]!]!, DASH,
    HI[b[p + 6]!]!, LO[b[p + 6]!]!, HI[b[p + 7]!]!, LO[b[p + 7]!]!, DASH,
    HI[b[p + 8]!]!, LO[b[p + 8]!]!, HI[b[p + 9]!]!, LO[b[p + 9]!]!, DASH,
    HI[b[p + 10]!]!, LO[b[p + 10]!]!, HI[b[p + 11]!]!, LO[b[p + 11]!]!, HI[b[p + 12]!]!, LO[b[p + 12]!]!,
    HI[b[p + 13]!]!, LO[b[p + 13]!]!, HI[b[p + 14]!]!, LO[b[p + 14]!]!, HI[b[p + 15]!]!, LO[b[p + 15]!]!,
  );
}

/**
 * Writes the 16 bytes spelled by `text` (32 lowercase hex characters, dashes skipped) at
 * `out[at]`. Returns false, writing nothing useful, when `text` is not exactly that.
 */
export function writeHex16(text: string, out: Uint8Array, at = 0): boolean {
  const codes = parseHex16(text, out, at);
  return codes >= 0 && (codes & LOWER_BIT) !== 0;
}

/**
 * Writes the 16 bytes of a trace id given in any case (32 hex characters, no dashes) at
 * `out[at]`. Returns its lowercase text (`text` itself when it is lowercase), or null when it is
 * not 32 hex characters or they are all zero.
 */
export function writeTraceId(text: string, out: Uint8Array, at = 0): string | null {
  if (text.length !== 32) return null;
  const codes = parseHex16(text, out, at);
  if (codes < 0) return null;
  for (let i = 0; i < 16; i++) {
    if (out[at + i] !== 0) return codes & LOWER_BIT ? text : text.toLowerCase();
  }
  return null;
}

/**
 * Parses 16 bytes of hex digits of any case (one dash allowed before each byte) into
 * `out[at]`. Returns -1 when `text` is not exactly that, else the AND of the digits' char codes
 * (its LOWER_BIT is clear when a digit was uppercase).
 */
function parseHex16(text: string, out: Uint8Array, at: number): number {
  let j = 0;
  let codes = 0xff;
  for (let i = 0; i < 16; i++) {
    let a = text.charCodeAt(j);
    if (a === DASH) a = text.charCodeAt(++j);
    const b = text.charCodeAt(j + 1);
    j += 2;
    // A missing character is NaN, which `|` and `<<` turn into 0: never a valid pair.
    const v = (a | b) < 128 ? PAIR[(a << 7) | b]! : -1;
    if (v < 0) return -1;
    codes &= a & b;
    out[at + i] = v;
  }
  return j === text.length ? codes : -1;
}

/** Copies the 16 bytes at `from[fromAt]` to `to[toAt]`. */
export function copy16(from: Uint8Array, fromAt: number, to: Uint8Array, toAt: number): void {
  // Written out: for 16 bytes the loop's own work costs as much as the copy.
  const f = fromAt;
  const t = toAt;
  to[t] = from[f]!;
  to[t + 1] = from[f + 1]!;
  to[t + 2] = from[f + 2]!;
  to[t + 3] = from[f + 3]!;
  to[t + 4] = from[f + 4]!;
  to[t + 5] = from[f + 5]!;
  to[t + 6] = from[f + 6]!;
  to[t + 7] = from[f + 7]!;
  to[t + 8] = from[f + 8]!;
  to[t + 9] = from[f + 9]!;
  to[t + 10] = from[f + 10]!;
  to[t + 11] = from[f + 11]!;
  to[t + 12] = from[f + 12]!;
  to[t + 13] = from[f + 13]!;
  to[t + 14] = from[f + 14]!;
  to[t + 15] = from[f + 15]!;
}

/** Whether `text` is all lowercase hex digits (no dashes). */
function isLowerHex(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || HEX_VALUE[c]! < 0) return false;
  }
  return true;
}

/** Whether `text` is a W3C trace id: 32 lowercase hex characters, not all zero. */
export function isTraceId(text: string): boolean {
  if (text.length !== 32 || !isLowerHex(text, 0, 32)) return false;
  for (let i = 0; i < 32; i++) if (text.charCodeAt(i) !== 48) return true;
  return false;
}

/** Whether `text` is a lowercase UUID (`8-4-4-4-12`). */
export function isUuid(text: string): boolean {
  return (
    text.length === 36 &&
    text.charCodeAt(8) === DASH &&
    text.charCodeAt(13) === DASH &&
    text.charCodeAt(18) === DASH &&
    text.charCodeAt(23) === DASH &&
    isLowerHex(text, 0, 8) &&
    isLowerHex(text, 9, 13) &&
    isLowerHex(text, 14, 18) &&
    isLowerHex(text, 19, 23) &&
    isLowerHex(text, 24, 36)
  );
}
