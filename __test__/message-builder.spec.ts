import test from 'ava';
import { Container, ErrorCode, type InputValue, MessageBuilder, type ValueType, decode, encode, idTimestamp } from '../ts/index.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function standard() {
  return new MessageBuilder()
    .source('client_123')
    .target('service_xyz')
    .topic('user.events.created')
    .traceId(TRACE)
    .addHeader('version', '1.0')
    .addBody('operation', 'create_user')
    .addBody('user_id', 12345)
    .addMetadata('origin', 'eu')
    .priority(8)
    .ttl(30000);
}

test('the builder example builds a complete message with a generated time-ordered id', (t) => {
  const before = Date.now();
  const msg = standard().build().unwrap();
  t.is(msg.header.source, 'client_123');
  t.is(msg.header.target, 'service_xyz');
  t.is(msg.topic, 'user.events.created');
  t.is(msg.header.traceId, TRACE);
  t.is(msg.header.headers.get('version'), '1.0');
  t.is(msg.body.get('operation'), 'create_user');
  t.is(msg.body.get('user_id'), 12345);
  t.is(msg.body.typeOf('user_id'), 'i32');
  t.is(msg.metadata.values.get('origin'), 'eu');
  t.is(msg.metadata.priority, 8);
  t.is(msg.metadata.ttl, 30000);
  t.is(msg.header.type, 'event');
  t.regex(msg.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.true(msg.header.timestamp >= before && msg.header.timestamp <= Date.now());
  t.true(Math.abs(idTimestamp(msg.id) - msg.header.timestamp) < 1000);
});

test('generated ids are unique and strictly increasing', (t) => {
  const ids = Array.from({ length: 20000 }, () => standard().build().unwrap().id);
  t.is(new Set(ids).size, ids.length);
  for (let i = 1; i < ids.length; i++) t.true((ids[i - 1] as string) < (ids[i] as string), `id ${i} increases`);
});

function problemOf(builder: MessageBuilder) {
  const r = builder.build();
  if (r.isOk()) throw new Error('expected an error');
  t_code(r.error.code);
  return r.error;
}
function t_code(code: number) {
  if (code !== ErrorCode.INVALID_MESSAGE) throw new Error(`expected INVALID_MESSAGE, got ${code}`);
}

test('a missing topic is INVALID_MESSAGE naming topic', (t) => {
  const e = problemOf(new MessageBuilder().source('a'));
  t.is(e.details?.field, 'topic');
  t.regex(e.message, /topic: a topic is required/);
});

test('wildcards in a topic are refused; a wildcard inside a word is literal', (t) => {
  t.is(problemOf(new MessageBuilder().topic('user.*.created')).details?.field, 'topic');
  t.is(problemOf(new MessageBuilder().topic('user.#')).details?.field, 'topic');
  t.is(problemOf(new MessageBuilder().topic('#')).details?.field, 'topic');
  t.true(new MessageBuilder().topic('a*.b#c').build().isOk());
});

test('invalid trace ids, priorities, ttls and types name their field', (t) => {
  t.is(problemOf(standard().traceId('xyz')).details?.field, 'traceId');
  t.is(problemOf(standard().traceId('0'.repeat(32))).details?.field, 'traceId');
  t.is(problemOf(standard().priority(11)).details?.field, 'priority');
  t.is(problemOf(standard().priority(-1)).details?.field, 'priority');
  t.is(problemOf(standard().priority(2.5)).details?.field, 'priority');
  t.is(problemOf(standard().ttl(-5)).details?.field, 'ttl');
  t.is(problemOf(standard().type('broadcast' as never)).details?.field, 'type');
  t.is(problemOf(standard().addBody('x', 1, 'decimal' as ValueType)).details?.field, 'body.x');
  t.is(problemOf(standard().addBody('x', 'one', 'i32')).details?.field, 'body.x');
  t.is(problemOf(standard().addBody('x', 2 ** 31, 'i32')).details?.field, 'body.x');
  t.is(problemOf(standard().addBody('x', (() => 1) as unknown as InputValue)).details?.field, 'body.x');
  t.is(problemOf(standard().addBody('x', { when: new Date() } as unknown as InputValue)).details?.field, 'body.x.when');
  t.is(problemOf(standard().id('not-a-uuid')).details?.field, 'id');
});

test('every problem is listed, the first one names the error', (t) => {
  const e = problemOf(new MessageBuilder().priority(99).ttl(-1));
  const problems = e.details?.problems as { field: string }[];
  t.deepEqual(
    problems.map((p) => p.field),
    ['priority', 'ttl', 'topic'],
  );
  t.is(e.details?.field, 'priority');
});

test('an uppercase trace id is accepted and stored lowercase', (t) => {
  t.is(standard().traceId(TRACE.toUpperCase()).build().unwrap().header.traceId, TRACE);
});

test('plain JS values get their documented types', (t) => {
  const body = new MessageBuilder()
    .topic('types')
    .addBody('int', 7)
    .addBody('negzero', -0)
    .addBody('big', 2 ** 40)
    .addBody('huge', 2 ** 60)
    .addBody('bigint', 5n)
    .addBody('frac', 1.5)
    .addBody('nan', Number.NaN)
    .addBody('str', 's')
    .addBody('bool', true)
    .addBody('nil', null)
    .addBody('undef', undefined)
    .addBody('bytes', new Uint8Array([1, 2]))
    .addBody('list', [1, 'a'])
    .addBody('obj', { a: 1 })
    .build()
    .unwrap().body;
  const types = Object.fromEntries([...body.keys].map((k) => [k, body.typeOf(k)]));
  t.deepEqual(types, {
    int: 'i32',
    negzero: 'f64',
    big: 'i64',
    huge: 'f64',
    bigint: 'i64',
    frac: 'f64',
    nan: 'f64',
    str: 'str',
    bool: 'bool',
    nil: 'null',
    undef: 'null',
    bytes: 'bytes',
    list: 'array',
    obj: 'map',
  });
  t.is(body.get('bigint'), 5);
  t.deepEqual(body.get('list'), [1, 'a']);
  t.true(body.get('obj') instanceof Container);
  t.deepEqual(body.toObject().obj, { a: 1 });
});

test('a float 1 stays a float and an int 1 stays an int through the codec', (t) => {
  const msg = new MessageBuilder().topic('t').addBody('f', 1, 'f64').addBody('i', 1).addBody('l', 1, 'i64').build().unwrap();
  const back = decode(encode(msg).unwrap()).unwrap().body;
  t.is(back.typeOf('f'), 'f64');
  t.is(back.typeOf('i'), 'i32');
  t.is(back.typeOf('l'), 'i64');
  t.is(back.get('f'), 1);
});

test('int64 beyond the safe range comes back a bigint; within it a number', (t) => {
  const msg = new MessageBuilder()
    .topic('t')
    .addBody('max', 2n ** 63n - 1n)
    .addBody('min', -(2n ** 63n))
    .addBody('safe', 2n ** 53n - 1n, 'i64')
    .build()
    .unwrap();
  const back = decode(encode(msg).unwrap()).unwrap().body;
  t.is(back.get('max'), 2n ** 63n - 1n);
  t.is(back.get('min'), -(2n ** 63n));
  t.is(back.get('safe'), 2 ** 53 - 1);
  t.is(problemOf(new MessageBuilder().topic('t').addBody('x', 2n ** 63n)).details?.field, 'body.x');
});

test('encoded bytes are the caller own: later encodes never change them', (t) => {
  const first = encode(standard().build().unwrap()).unwrap();
  const copy = Uint8Array.from(first);
  encode(new MessageBuilder().topic('other.topic').addBody('x', 'y'.repeat(300)).build().unwrap()).unwrap();
  // Enough small results to fill several slabs, and large ones between them.
  const kept: [Uint8Array, Uint8Array][] = [];
  for (let i = 0; i < 2000; i++) {
    const big = i % 500 === 0;
    const bytes = encode(new MessageBuilder().topic(`t.${i}`).addBody('x', big ? 'z'.repeat(70_000) : `v${i}`).build().unwrap()).unwrap();
    kept.push([bytes, Uint8Array.from(bytes)]);
  }
  t.deepEqual(first, copy);
  t.true(decode(first).isOk());
  for (const [bytes, snapshot] of kept) t.deepEqual(bytes, snapshot);
  // Small results are views into a shared slab; large ones own their buffer exactly.
  const large = kept[500]?.[0] as Uint8Array;
  t.true(large.length > 70_000);
  t.is(large.buffer.byteLength, large.length);
  t.true(first.buffer.byteLength > first.length);
});
