import { inspect } from 'node:util';
import test from 'ava';
import { Header, MessageBuilder, Metadata, decode, decodeBatch, encode, encodeBatch, toJSONValue } from '../ts/index.js';
import { requireNative } from '../ts/core/native.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const native = requireNative();

function built() {
  return new MessageBuilder().source('client_123').topic('user.events.created').traceId(TRACE).addBody('n', 1).build().unwrap();
}

test('a built message (id and trace id held as bytes) encodes exactly as the native codec does', (t) => {
  const msg = built();
  const bytes = encode(msg).unwrap();
  t.is(Buffer.compare(native.reencode(bytes, false), bytes), 0);
  const back = decode(bytes).unwrap();
  t.is(back.header.id, msg.header.id);
  t.is(back.header.traceId, TRACE);
  t.deepEqual(toJSONValue(back), toJSONValue(msg));
});

test('ids and trace ids read and write as plain fields', (t) => {
  const msg = built();
  t.regex(msg.header.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.is(msg.header.id, msg.header.id);
  msg.header.id = '017f22e2-79b0-7cc3-98c4-dc0c0c07398f';
  msg.header.traceId = null;
  const back = decode(encode(msg).unwrap()).unwrap();
  t.is(back.header.id, '017f22e2-79b0-7cc3-98c4-dc0c0c07398f');
  t.is(back.header.traceId, null);
  msg.header.traceId = 'not hex';
  t.true(encode(msg).isErr());
});

test('user headers and metadata made on first read keep what is added to them', (t) => {
  const msg = built();
  msg.header.headers.set('tenant', 'acme');
  msg.metadata.values.set('origin', 'eu');
  const back = decode(encode(msg).unwrap()).unwrap();
  t.is(back.header.headers.get('tenant'), 'acme');
  t.is(back.metadata.values.get('origin'), 'eu');
  const empty = new Header();
  t.is(empty.headers, empty.headers);
  const meta = new Metadata();
  t.is(meta.values, meta.values);
  t.is(meta.values.size, 0);
});

test('JSON.stringify and inspection show the id, trace id and user headers', (t) => {
  const msg = built();
  const json = JSON.parse(JSON.stringify(msg.header)) as Record<string, unknown>;
  t.is(json.id, msg.header.id);
  t.is(json.traceId, TRACE);
  t.deepEqual(Object.keys(json), ['id', 'type', 'source', 'target', 'topic', 'traceId', 'correlationId', 'replyTo', 'timestamp', 'version', 'headers']);
  t.deepEqual(JSON.parse(JSON.stringify(msg.metadata)), { priority: 5, ttl: 0, retryCount: 0, values: {} });
  t.true(inspect(msg.header).includes(msg.header.id));
});

test('a decoded batch gives the ids and trace ids of its members, made from the batch bytes', (t) => {
  const msgs = [built(), built(), new MessageBuilder().topic('t').build().unwrap()];
  const back = decodeBatch(encodeBatch(msgs).unwrap()).unwrap();
  t.deepEqual(
    back.map((m) => [m.header.id, m.header.traceId]),
    msgs.map((m) => [m.header.id, m.header.traceId]),
  );
});

test('user headers added by the builder keep Map order and overwrite semantics, few or many', (t) => {
  for (const n of [3, 20]) {
    const builder = new MessageBuilder().topic('t');
    for (let i = 0; i < n; i++) builder.addHeader(`k${i}`, `v${i}`);
    builder.addHeader('k1', 'again');
    const msg = builder.build().unwrap();
    const expected = new Map(Array.from({ length: n }, (_, i) => [`k${i}`, i === 1 ? 'again' : `v${i}`]));
    const bytes = encode(msg).unwrap();
    t.deepEqual([...decode(bytes).unwrap().header.headers], [...expected]);
    t.is(Buffer.compare(native.reencode(bytes, false), bytes), 0);
    t.deepEqual([...msg.header.headers], [...expected]);
  }
});

const limitedMessage = (fn: (b: MessageBuilder) => MessageBuilder) => fn(new MessageBuilder().topic('t')).build().unwrap();

test('encode names the limit a message breaks', (t) => {
  const limits = { maxMessageSize: 1 << 20, maxDepth: 4, maxFields: 2, maxStringLen: 8 };
  const message = limitedMessage;
  const problem = (msg: ReturnType<typeof message>) => {
    const r = encode(msg, { limits });
    return r.isErr() ? r.error.message : 'encoded';
  };
  t.regex(problem(message((b) => b.source('a'.repeat(9)))), /source longer than 8 bytes/);
  t.regex(problem(message((b) => b.source('é'.repeat(5)))), /source of 10 bytes exceeds the limit 8/);
  t.regex(problem(message((b) => b.addBody('b', new Uint8Array(9)))), /bytes value of 9 bytes exceeds the limit 8/);
  t.regex(problem(message((b) => b.addBody('a', 1).addBody('b', 2).addBody('c', 3))), /body has 3 entries, above the limit 2/);
  t.is(problem(message((b) => b.source('a'.repeat(8)).addBody('a', 1).addBody('b', 2))), 'encoded');
});

test('only hex digits make a trace id or an id: no other character passes for one', (t) => {
  for (let c = 0; c < 0x100; c++) {
    const ch = String.fromCharCode(c);
    const hex = /^[0-9a-fA-F]$/.test(ch);
    t.is(new MessageBuilder().topic('t').traceId(`${ch}${'1'.repeat(31)}`).build().isOk(), hex, `trace id with char ${c}`);
    const msg = built();
    msg.header.id = `${ch}1234567-1234-1234-1234-123456789012`;
    t.is(encode(msg).isOk(), /^[0-9a-f]$/.test(ch), `id with char ${c}`);
  }
});
