import test from 'ava';
import fc from 'fast-check';
import { ErrorCode, FrameKind, FrameSplitter, MessageBuilder, NO_TRACE, Rec, RECORD_WORDS, encode, frame } from '../ts/index.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function publish(topic: string, traced = true) {
  const b = new MessageBuilder().topic(topic).priority(7).ttl(1500).addBody('n', 1);
  return frame(FrameKind.PUBLISH, encode((traced ? b.traceId(TRACE) : b).build().unwrap()).unwrap());
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

function drain(splitter: FrameSplitter) {
  const seen: { kind: number; topic: string; trace: string | null; priority: number; ttl: number }[] = [];
  for (;;) {
    const n = splitter.next().unwrap();
    if (n === 0) return seen;
    const { buffer, records } = splitter;
    for (let i = 0; i < n; i++) {
      const r = records.subarray(i * RECORD_WORDS, (i + 1) * RECORD_WORDS);
      const topicAt = r[Rec.TOPIC] as number;
      const traceAt = r[Rec.TRACE] as number;
      seen.push({
        kind: r[Rec.KIND] as number,
        topic: Buffer.from(buffer.subarray(topicAt, topicAt + (r[Rec.TOPIC_LEN] as number))).toString(),
        trace: traceAt === NO_TRACE ? null : Buffer.from(buffer.subarray(traceAt, traceAt + 16)).toString('hex'),
        priority: (r[Rec.PACKED] as number) & 0xff,
        ttl: r[Rec.TTL] as number,
      });
    }
  }
}

test('one chunk of many frames is split with the routing fields peeked', (t) => {
  const splitter = new FrameSplitter();
  splitter.push(concat([publish('a.b'), frame(FrameKind.PING, new Uint8Array(0)), publish('c', false)]));
  t.deepEqual(drain(splitter), [
    { kind: FrameKind.PUBLISH, topic: 'a.b', trace: TRACE, priority: 7, ttl: 1500 },
    { kind: FrameKind.PING, topic: '', trace: null, priority: 0, ttl: 0 },
    { kind: FrameKind.PUBLISH, topic: 'c', trace: null, priority: 7, ttl: 1500 },
  ]);
  t.is(splitter.pending, 0);
});

test('frames cut at any point across chunks come out whole and in order', (t) => {
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[a-z]{1,8}(\.[a-z]{1,8}){0,3}$/), { minLength: 1, maxLength: 30 }), fc.array(fc.nat(), { maxLength: 8 }), (topics, cuts) => {
      const stream = concat(topics.map((topic) => publish(topic)));
      const points = [...new Set(cuts.map((c) => c % stream.length))].toSorted((a, b) => a - b);
      const splitter = new FrameSplitter({ maxFrames: 3 });
      const seen: string[] = [];
      let from = 0;
      for (const at of [...points, stream.length]) {
        splitter.push(stream.subarray(from, at));
        from = at;
        seen.push(...drain(splitter).map((f) => f.topic));
      }
      t.deepEqual(seen, topics);
      t.is(splitter.pending, 0);
    }),
    { numRuns: 200 },
  );
});

test('a frame over the size limit, an unknown kind or a bad preamble is a PROTOCOL_ERROR', (t) => {
  const big = new FrameSplitter({ maxFrame: 64 });
  big.push(frame(FrameKind.PUBLISH, new Uint8Array(65)));
  const over = big.next();
  t.true(over.isErr() && over.error.code === ErrorCode.PROTOCOL_ERROR);
  const unknown = new FrameSplitter();
  unknown.push(frame(99, new Uint8Array(3)));
  const u = unknown.next();
  t.true(u.isErr() && u.error.code === ErrorCode.PROTOCOL_ERROR);
  const garbage = new FrameSplitter();
  garbage.push(frame(FrameKind.PUBLISH, new Uint8Array(80).fill(7)));
  const g = garbage.next();
  t.true(g.isErr() && g.error.code === ErrorCode.PROTOCOL_ERROR);
  if (g.isErr()) t.regex(g.error.message, /magic/);
});

test('random byte streams never throw out of the splitter', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const s = new FrameSplitter({ maxFrame: 1024 });
      s.push(bytes);
      for (let i = 0; i < 100; i++) {
        const r = s.next();
        if (r.isErr()) return r.error.code === ErrorCode.PROTOCOL_ERROR;
        if (r.value === 0) return true;
      }
      return false;
    }),
    { numRuns: 2000 },
  );
  t.pass();
});
