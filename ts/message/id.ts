/**
 * Message ids: UUIDv7 (RFC 9562), time-ordered. Within one millisecond a 12-bit counter in
 * rand_a keeps ids strictly increasing in this process; random bits come from a pooled
 * crypto buffer. Never blocks and never repeats an id within the process.
 */
import { randomFillSync } from 'node:crypto';
import { uuidText } from './hex.js';

const POOL_IDS = 512;
const pool = new Uint8Array(POOL_IDS * 8);
let poolAt = pool.length;
const id = new Uint8Array(16);
let lastMs = 0;
let counter = 0;

function writeTimestamp(ms: number): void {
  const hi = Math.floor(ms / 0x10000);
  id[0] = (hi >>> 24) & 0xff;
  id[1] = (hi >>> 16) & 0xff;
  id[2] = (hi >>> 8) & 0xff;
  id[3] = hi & 0xff;
  id[4] = (ms >>> 8) & 0xff;
  id[5] = ms & 0xff;
}

/** Fills `out[at, at+16)` with a new UUIDv7. */
export function newIdBytes(out: Uint8Array = id, at = 0): Uint8Array {
  let ms = Date.now();
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
  writeTimestamp(ms);
  id[6] = 0x70 | (counter >>> 8);
  id[7] = counter & 0xff;
  id[8] = 0x80 | (pool[poolAt]! & 0x3f);
  for (let i = 1; i < 8; i++) id[8 + i] = pool[poolAt + i]!;
  poolAt += 8;
  if (out !== id || at !== 0) out.set(id, at);
  return out;
}

/** A new UUIDv7 in text form, e.g. `01890a5d-ac96-774b-bcce-b302099a8057`. */
export function newId(): string {
  newIdBytes();
  return uuidText(id);
}

/** The millisecond timestamp inside a UUIDv7 text. */
export function idTimestamp(uuid: string): number {
  return Number.parseInt(uuid.slice(0, 8) + uuid.slice(9, 13), 16);
}
