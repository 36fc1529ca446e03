/**
 * Message ids: UUIDv7 (RFC 9562), time-ordered. Within one millisecond a 12-bit counter in
 * rand_a keeps ids strictly increasing in this process; random bits come from a pooled
 * crypto buffer. Generated ids are written into a shared slab of 16-byte slots that is never
 * rewritten, so a message can hold its id as bytes and make the text only when it is read.
 * Never blocks and never repeats an id within the process.
 */
import { randomFillSync } from 'node:crypto';
import { uuidText } from './hex.js';

const POOL_IDS = 512;
const pool = new Uint8Array(POOL_IDS * 8);
let poolAt = pool.length;
let lastMs = 0;
let counter = 0;

/** Ids per slab: 16 KiB, so a long-lived message keeps little memory alive with its id. */
const SLAB_IDS = 1024;
/** The slab the last `newIdSlot()` wrote into; a full slab is left to its messages. */
export let idSlab = new Uint8Array(SLAB_IDS * 16);
let slabAt = idSlab.length;

/** Fills `out[at, at+16)` with a new UUIDv7 for the time `now` (ms since the epoch). */
export function writeNewId(out: Uint8Array, at: number, now: number = Date.now()): void {
  let ms = now;
  if (ms <= lastMs) {
    counter++;
    if (counter > 0xfff) {
      lastMs++;
      counter = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    counter = pool[poolAt - 1] === undefined ? 0 : (pool[poolAt - 1]! & 0x7) << 4;
  }
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const hi = Math.floor(ms / 0x10000);
  out[at] = hi >>> 24;
  out[at + 1] = hi >>> 16;
  out[at + 2] = hi >>> 8;
  out[at + 3] = hi;
  out[at + 4] = ms >>> 8;
  out[at + 5] = ms;
  out[at + 6] = 0x70 | (counter >>> 8);
  out[at + 7] = counter;
  out[at + 8] = 0x80 | (pool[poolAt]! & 0x3f);
  for (let i = 1; i < 8; i++) out[at + 8 + i] = pool[poolAt + i]!;
  poolAt += 8;
}

/** Reserves a 16-byte slot of `idSlab` that nothing else will write; returns its offset. */
export function idSlot(): number {
  if (slabAt === idSlab.length) {
    idSlab = new Uint8Array(SLAB_IDS * 16);
    slabAt = 0;
  }
  const at = slabAt;
  slabAt += 16;
  return at;
}

/** Writes a new UUIDv7 for `now` into a fresh slot of `idSlab`; returns the slot's offset. */
export function newIdSlot(now: number): number {
  const at = idSlot();
  writeNewId(idSlab, at, now);
  return at;
}

/** Fills `out[at, at+16)` with a new UUIDv7. */
export function newIdBytes(out: Uint8Array = new Uint8Array(16), at = 0): Uint8Array {
  writeNewId(out, at);
  return out;
}

/** A new UUIDv7 in text form, e.g. `01890a5d-ac96-774b-bcce-b302099a8057`. */
export function newId(): string {
  const at = newIdSlot(Date.now());
  return uuidText(idSlab, at);
}

/** The millisecond timestamp inside a UUIDv7 text. */
export function idTimestamp(uuid: string): number {
  return Number.parseInt(uuid.slice(0, 8) + uuid.slice(9, 13), 16);
}
