import test from 'ava';
import fc from 'fast-check';
import { crc32c } from '../ts/index.js';
import { crc32cAppend, crc32cTs } from '../ts/message/crc32c.js';

test('the TS crc32c matches the published check values', (t) => {
  t.is(crc32cTs(new TextEncoder().encode('123456789')), 0xe3069283);
  t.is(crc32cTs(new Uint8Array(32)), 0x8a9136aa);
  t.is(crc32cTs(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
});

test('the TS crc32c equals the native one on random bytes, whole and appended', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
      const at = Math.min(cut, bytes.length);
      const native = crc32c(bytes).unwrap();
      return crc32cTs(bytes) === native && crc32cAppend(crc32cAppend(0, bytes, 0, at), bytes, at) === native;
    }),
    { numRuns: 500 },
  );
  t.pass();
});
