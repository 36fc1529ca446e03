import test from 'ava';
import fc from 'fast-check';
import { ErrorCode, decode, decodeBatch, encode, encodeBatch, toJSONValue } from '../ts/index.js';
import { requireNative } from '../ts/core/native.js';
import { message } from './helpers/message-arbitraries.js';

const native = requireNative();

function nativeReencode(bytes: Uint8Array, checksum: boolean): Buffer | null {
  try {
    return native.reencode(bytes, checksum);
  } catch (e) {
    if (!String((e as Error).message).startsWith('[SERIALIZATION_ERROR]')) throw e;
    return null;
  }
}

test('random messages: the TS encoder writes exactly what the native codec writes', (t) => {
  fc.assert(
    fc.property(message, fc.boolean(), (msg, checksum) => {
      const bytes = encode(msg, { checksum }).unwrap();
      const again = nativeReencode(bytes, checksum);
      return again !== null && Buffer.compare(again, bytes) === 0;
    }),
    { numRuns: 400 },
  );
  t.pass();
});

test('random messages survive the TS round trip with every type intact', (t) => {
  fc.assert(
    fc.property(message, fc.boolean(), (msg, checksum) => {
      const back = decode(encode(msg, { checksum }).unwrap()).unwrap();
      t.deepEqual(toJSONValue(back), toJSONValue(msg));
    }),
    { numRuns: 300 },
  );
});

test('mutated bytes: the TS decoder accepts exactly what the native decoder accepts', (t) => {
  let accepted = 0;
  let rejected = 0;
  fc.assert(
    fc.property(
      message,
      fc.boolean(),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.nat(3),
      (msg, checksum, edits, cut) => {
        const bytes = Buffer.from(encode(msg, { checksum }).unwrap());
        for (const [at, byte] of edits) bytes[at % bytes.length] = byte;
        const input = bytes.subarray(0, bytes.length - Math.min(cut, bytes.length));
        const ts = decode(input);
        const reference = nativeReencode(input, checksum);
        if (ts.isErr()) {
          rejected++;
          return reference === null && ts.error.code === ErrorCode.SERIALIZATION_ERROR;
        }
        accepted++;
        return reference !== null && Buffer.compare(Buffer.from(encode(ts.value, { checksum }).unwrap()), input) === 0;
      },
    ),
    { numRuns: 2000 },
  );
  t.log(`accepted ${accepted}, rejected ${rejected}`);
  t.true(accepted > 0 && rejected > 0);
});

test('random bytes never throw out of decode', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const r = decode(bytes);
      return r.isErr() ? r.error.code === ErrorCode.SERIALIZATION_ERROR : true;
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('a batch is validated natively in one call and its bodies decode lazily', (t) => {
  fc.assert(
    fc.property(fc.array(message, { maxLength: 20 }), (msgs) => {
      const batch = encodeBatch(msgs).unwrap();
      const back = decodeBatch(batch).unwrap();
      t.is(back.length, msgs.length);
      for (const m of back) t.true(m.isBodyPending);
      t.deepEqual(
        back.map((m) => toJSONValue(m)),
        msgs.map((m) => toJSONValue(m)),
      );
      t.false(back.some((m) => m.isBodyPending));
    }),
    { numRuns: 100 },
  );
});

test('a corrupt member fails the whole batch with SERIALIZATION_ERROR naming it', (t) => {
  const msgs = fc.sample(message, { numRuns: 5, seed: 7 });
  const batch = Buffer.from(encodeBatch(msgs).unwrap());
  const second = 4 + batch.readUInt32LE(0);
  batch[second + 4] = 0x00; // magic of the second member
  const r = decodeBatch(batch);
  t.true(r.isErr());
  if (r.isErr()) {
    t.is(r.error.code, ErrorCode.SERIALIZATION_ERROR);
    t.regex(r.error.message, /batch member 1 at offset \d+: bad magic/);
  }
  const truncated = decodeBatch(Buffer.from(encodeBatch(msgs).unwrap()).subarray(0, 50));
  t.true(truncated.isErr() && /truncated batch member/.test(truncated.error.message));
});

test('a batch larger than the encoder scratch buffer keeps every length prefix', (t) => {
  const msgs = fc.sample(message, { numRuns: 50, seed: 3 });
  const many = Array.from({ length: 40 }, () => msgs).flat();
  const batch = encodeBatch(many).unwrap();
  t.true(batch.length > 64 * 1024);
  const back = decodeBatch(batch).unwrap();
  t.is(back.length, many.length);
  t.deepEqual(toJSONValue(back[many.length - 1]!), toJSONValue(many[many.length - 1]!));
});
