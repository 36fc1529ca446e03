/**
 * The smoke suite: the native crc32c against its pure-TS equivalent, on a small and a large
 * buffer. It shows what one N-API call costs next to the work inside it.
 */
import { randomBytes } from 'node:crypto';
import type { Suite } from '../harness/types.js';
import { requireNative } from '../../ts/core/native.js';
import { crc32cTs } from '../../ts/message/crc32c.js';

const CALLS = 1000;

function sizes(size: number) {
  const native = requireNative();
  const buffer = new Uint8Array(randomBytes(size));
  let sink = 0;
  return {
    name: `crc32c of ${size} bytes`,
    unit: 'call',
    subject: {
      name: 'native crc32c (N-API)',
      ops: CALLS,
      fn: () => {
        for (let i = 0; i < CALLS; i++) sink ^= native.crc32c(buffer);
        return sink;
      },
    },
    peers: [
      {
        name: 'TS crc32c (slicing-by-8)',
        ops: CALLS,
        fn: () => {
          for (let i = 0; i < CALLS; i++) sink ^= crc32cTs(buffer);
          return sink;
        },
      },
    ],
  };
}

export const suite: Suite = {
  name: 'smoke',
  description: 'native call against the same work in TS',
  comparisons: () => [sizes(64), sizes(4096), sizes(65536)],
};
