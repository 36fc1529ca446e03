/**
 * Random W3C trace ids as 16 bytes in a shared slab of crypto-strength random bytes (1,024 ids,
 * 16 KiB): a header holds its trace id as a slab and an offset and makes the text only when it
 * is read. A slab is never rewritten and a slot is never handed out twice or all zero.
 */
import { randomFillSync } from 'node:crypto';

const TRACE_SLAB = 16 * 1024;

/** The slab the last `traceSlot()` points into; a used-up slab is left to its headers. */
export let traceSlab = new Uint8Array(0);
let slabAt = 0;

/** Reserves the next 16 random bytes of `traceSlab` (never all zero); returns their offset. */
export function traceSlot(): number {
  for (;;) {
    if (slabAt === traceSlab.length) {
      traceSlab = randomFillSync(new Uint8Array(TRACE_SLAB));
      slabAt = 0;
    }
    const at = slabAt;
    slabAt += 16;
    let any = 0;
    for (let i = at; i < at + 16; i++) any |= traceSlab[i] as number;
    if (any !== 0) return at;
  }
}
