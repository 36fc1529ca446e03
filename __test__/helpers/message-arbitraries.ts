/** fast-check arbitraries of messages in their JSON form, for property tests of the codecs. */
import fc from 'fast-check';
import { type Message, type MessageJson, type TaggedValue, fromJSONValue } from '../../ts/index.js';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
const uuid = hex(16).map((h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
const uniquePairs = fc.uniqueArray(fc.tuple(text, text), { maxLength: 4, selector: ([k]) => k });

const scalar: fc.Arbitrary<TaggedValue> = fc.oneof(
  fc.constant({ t: 'null' } as TaggedValue),
  fc.boolean().map((v) => ({ t: 'bool', v }) as TaggedValue),
  fc.integer().map((v) => ({ t: 'i32', v }) as TaggedValue),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v) => ({ t: 'i64', v: String(v) }) as TaggedValue),
  fc.double().map((v) => ({ t: 'f64', v: Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : Number.isFinite(v) ? v : v > 0 ? 'Infinity' : '-Infinity' }) as TaggedValue),
  text.map((v) => ({ t: 'str', v }) as TaggedValue),
  fc.uint8Array({ maxLength: 8 }).map((v) => ({ t: 'bytes', v: Buffer.from(v).toString('hex') }) as TaggedValue),
);

const { value } = fc.letrec<{ value: TaggedValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }).map((v) => ({ t: 'array', v }) as TaggedValue),
    fc.array(fc.tuple(text, tie('value')), { maxLength: 3 }).map((v) => ({ t: 'map', v }) as TaggedValue),
  ),
}));

/** Any message the format can carry, in its JSON form. */
export const messageJson: fc.Arbitrary<MessageJson> = fc.record({
  id: uuid,
  type: fc.constantFrom('command', 'event', 'query', 'reply', 'notification'),
  source: text,
  target: text,
  topic: fc.string({ maxLength: 20 }),
  traceId: fc.option(hex(16), { nil: null }),
  correlationId: fc.option(text, { nil: null }),
  replyTo: fc.option(text, { nil: null }),
  timestamp: fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  version: text,
  headers: uniquePairs,
  body: fc.array(fc.tuple(text, value), { maxLength: 4 }),
  priority: fc.integer({ min: 0, max: 10 }),
  ttl: fc.nat({ max: 0xffffffff }),
  retryCount: fc.nat({ max: 0xffffffff }),
  metadata: uniquePairs,
}) as fc.Arbitrary<MessageJson>;

/** Any message the format can carry. */
export const message: fc.Arbitrary<Message> = messageJson.map((j) => fromJSONValue(j).unwrap());
