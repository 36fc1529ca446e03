/**
 * UTF-8 for the codecs: short strings are written and read by hand (a call into TextEncoder or
 * TextDecoder costs more than the work for a few dozen bytes); long ones use Node's own
 * encoder. Invalid UTF-8 is never accepted; a lone surrogate is written as U+FFFD, as
 * TextEncoder does.
 */

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const SHORT = 48;

/** Bytes `str` takes in UTF-8. */
export function utf8Length(str: string): number {
  const n = str.length;
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = str.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (str.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}

const encoder = new TextEncoder();

/**
 * Writes `str` as UTF-8 at `buf[at]`; the caller has made room for 3 bytes per UTF-16 unit.
 * Returns the number of bytes written. ASCII is copied by a plain loop; the first other
 * character hands the rest to the general writer.
 */
export function writeUtf8(buf: Uint8Array, str: string, at: number): number {
  const n = str.length;
  if (n > SHORT) return writeLongUtf8(buf, str, at);
  for (let i = 0; i < n; i++) {
    const c = str.charCodeAt(i);
    if (c >= 0x80) return i + writeUtf8From(buf, str, i, at + i);
    buf[at + i] = c;
  }
  return n;
}

/** Writes a long string with the native encoder (one call beats the loop past a few dozen units). */
function writeLongUtf8(buf: Uint8Array, str: string, at: number): number {
  return encoder.encodeInto(str, buf.subarray(at)).written;
}

/** Writes `str` from UTF-16 unit `from` at `buf[at]`, any character; returns the bytes written. */
function writeUtf8From(buf: Uint8Array, str: string, from: number, at: number): number {
  const n = str.length;
  let p = at;
  for (let i = from; i < n; i++) {
    let c = str.charCodeAt(i);
    if (c < 0x80) {
      buf[p++] = c;
    } else if (c < 0x800) {
      buf[p++] = 0xc0 | (c >> 6);
      buf[p++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < n ? str.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && (next & 0xfc00) === 0xdc00) {
          c = 0x10000 + ((c & 0x3ff) << 10) + (next & 0x3ff);
          i++;
          buf[p++] = 0xf0 | (c >> 18);
          buf[p++] = 0x80 | ((c >> 12) & 0x3f);
          buf[p++] = 0x80 | ((c >> 6) & 0x3f);
          buf[p++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd;
      }
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p - at;
}

/**
 * Reads `len` bytes at `bytes[at]` as UTF-8, or returns null when they are not valid UTF-8.
 * ASCII is decoded by hand; anything else goes through a fatal TextDecoder.
 */
export function readUtf8(bytes: Uint8Array, at: number, len: number): string | null {
  if (len === 0) return '';
  if (len <= SHORT && isAscii(bytes, at, at + len)) return asciiString(bytes, at, len);
  try {
    return decoder.decode(bytes.subarray(at, at + len));
  } catch {
    return null;
  }
}

/** Whether `bytes[from, to)` are all ASCII; four bytes per step, then the rest one by one. */
function isAscii(bytes: Uint8Array, from: number, to: number): boolean {
  let i = from;
  for (; i + 4 <= to; i += 4) {
    if ((bytes[i]! | bytes[i + 1]! | bytes[i + 2]! | bytes[i + 3]!) & 0x80) return false;
  }
  for (; i < to; i++) if (bytes[i]! & 0x80) return false;
  return true;
}

const fcc = String.fromCharCode;

/**
 * An ASCII string of `len` bytes at `b[p]`. One `fromCharCode` call with the bytes as arguments
 * is several times faster than concatenating characters or calling a decoder for short strings.
 */
function asciiString(b: Uint8Array, p: number, len: number): string {
  switch (len) {
    case 1:
      return fcc(b[p]!);
    case 2:
      return fcc(b[p]!, b[p + 1]!);
    case 3:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!);
    case 4:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!);
    case 5:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!);
    case 6:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!);
    case 7:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!);
    case 8:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!);
    case 9:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!);
    case 10:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!);
    case 11:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!);
    case 12:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!);
    case 13:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!);
    case 14:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!);
    case 15:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!);
    case 16:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!, b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!);
    default:
      // 17 to 32 characters: one call for 24 or 32 and a slice, which stays flat; joining two
      // halves would make a rope that costs more than the decode when it is first searched.
      if (len <= 24) return ascii24(b, p).slice(0, len);
      if (len <= 32) return ascii32(b, p).slice(0, len);
      return fcc.apply(null, b.subarray(p, p + len) as unknown as number[]);
  }
}

/** 24 characters from `b[p]`; bytes past the end of `b` read as NUL (callers slice them off). */
function ascii24(b: Uint8Array, p: number): string {
  return fcc(
    b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!,
    b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!,
    b[p + 16]!, b[p + 17]!, b[p + 18]!, b[p + 19]!, b[p + 20]!, b[p + 21]!, b[p + 22]!, b[p + 23]!,
  );
}

/** 32 characters from `b[p]`; bytes past the end of `b` read as NUL (callers slice them off). */
function ascii32(b: Uint8Array, p: number): string {
  return fcc(
    b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!,
    b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!,
    b[p + 16]!, b[p + 17]!, b[p + 18]!, b[p + 19]!, b[p + 20]!, b[p + 21]!, b[p + 22]!, b[p + 23]!,
    b[p + 24]!, b[p + 25]!, b[p + 26]!, b[p + 27]!, b[p + 28]!, b[p + 29]!, b[p + 30]!, b[p + 31]!,
  );
}
