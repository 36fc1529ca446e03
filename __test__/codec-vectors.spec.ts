import { readFileSync, readdirSync } from 'node:fs';
import test from 'ava';
import { ErrorCode, decode, encode, fromJSONValue, peekHeader, toJSONValue } from '../ts/index.js';

const DIR = new URL('./vectors/codec/', import.meta.url);

interface Vector {
  name: string;
  checksum: boolean;
  message: { topic: string; traceId: string | null; priority: number; ttl: number };
  hex: string;
}

const vectors: Vector[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as Vector);

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

test('there are golden vectors to check', (t) => {
  t.true(vectors.length >= 10);
  t.truthy(vectors.find((v) => v.name === 'standard'));
});

for (const v of vectors) {
  test(`golden vector ${v.name}: the TS encoder writes the native bytes`, (t) => {
    const msg = fromJSONValue(v.message).unwrap();
    t.is(hex(encode(msg, { checksum: v.checksum }).unwrap()), v.hex);
  });

  test(`golden vector ${v.name}: the TS decoder reads the native bytes back losslessly`, (t) => {
    const decoded = decode(Buffer.from(v.hex, 'hex')).unwrap();
    t.deepEqual(toJSONValue(decoded), toJSONValue(fromJSONValue(v.message).unwrap()));
    t.deepEqual(JSON.parse(JSON.stringify(toJSONValue(decoded))), v.message);
    const peeked = peekHeader(Buffer.from(v.hex, 'hex')).unwrap();
    t.is(peeked.topic, v.message.topic);
    t.is(peeked.traceId, v.message.traceId);
    t.is(peeked.priority, v.message.priority);
    t.is(peeked.ttl, v.message.ttl);
  });
}

interface InvalidCase {
  hex: string;
  rule: string;
  rust: string;
}

const invalid = (
  JSON.parse(readFileSync(new URL('invalid/cases.json', DIR), 'utf8')) as { cases: InvalidCase[] }
).cases;

test('every invalid vector is a SERIALIZATION_ERROR with the reason the native decoder gives', (t) => {
  t.true(invalid.length > 10);
  for (const c of invalid) {
    const r = decode(Buffer.from(c.hex, 'hex'));
    t.true(r.isErr(), `${c.rule} must be rejected`);
    if (r.isErr()) {
      t.is(r.error.code, ErrorCode.SERIALIZATION_ERROR, c.rule);
      t.true(r.error.message.includes(c.rust), `${c.rule}: "${r.error.message}" should say "${c.rust}"`);
    }
  }
});

test('duplicate header keys and out-of-range timestamps are refused like the native decoder does', (t) => {
  const standard = vectors.find((v) => v.name === 'standard') as Vector;
  const bytes = Buffer.from(standard.hex, 'hex');
  const far = Buffer.from(bytes);
  far.writeBigInt64LE(2n ** 53n, 16);
  const r = decode(far);
  t.true(r.isErr() && /timestamp 9007199254740992 outside/.test(r.error.message));
  const msg = fromJSONValue({ ...standard.message, metadata: [['k', '1'], ['j', '2']] }).unwrap();
  const dup = Buffer.from(encode(msg).unwrap());
  dup[dup.length - 6] = 'k'.charCodeAt(0);
  const d = decode(dup);
  t.true(d.isErr() && /duplicate metadata key "k"/.test(d.error.message), d.isErr() ? d.error.message : 'decoded');
});
