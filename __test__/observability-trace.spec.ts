import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { ErrorCode } from '../ts/core/index.js';
import { MessageBuilder } from '../ts/message/builder.js';
import { decode, encode, fromJSON, toJSON } from '../ts/index.js';
import {
  TraceContext,
  formatTraceparent,
  isSpanId,
  isTraceId,
  newSpanId,
  newTraceId,
  parseTraceparent,
} from '../ts/observability/index.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

test('new ids are lowercase hex of the W3C lengths, never zero, never repeated', (t) => {
  const traces = new Set<string>();
  const spans = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const trace = newTraceId();
    const span = newSpanId();
    t.true(isTraceId(trace) && isSpanId(span));
    traces.add(trace);
    spans.add(span);
  }
  t.is(traces.size, 5000);
  t.is(spans.size, 5000);
  t.false(isTraceId('0'.repeat(32)));
  t.false(isSpanId('0'.repeat(16)));
  t.false(isTraceId(TRACE.toUpperCase()));
});

test('traceparent: the W3C example parses and formats back', (t) => {
  const header = `00-${TRACE}-${SPAN}-01`;
  const parsed = parseTraceparent(header).unwrap();
  t.deepEqual(parsed, { version: '00', traceId: TRACE, spanId: SPAN, flags: 1, sampled: true });
  t.is(formatTraceparent(parsed).unwrap(), header);
  t.is(formatTraceparent({ traceId: TRACE, spanId: SPAN, sampled: false }).unwrap(), `00-${TRACE}-${SPAN}-00`);
  t.like(parseTraceparent(`  00-${TRACE}-${SPAN}-00 `).unwrap(), { sampled: false });
  // a future version may add fields
  t.like(parseTraceparent(`01-${TRACE}-${SPAN}-03-extra`).unwrap(), { version: '01', flags: 3 });
});

test('traceparent: malformed headers are INVALID_ARGUMENT', (t) => {
  const bad = [
    '',
    'garbage',
    `ff-${TRACE}-${SPAN}-01`,
    `00-${TRACE}-${SPAN}-01-extra`,
    `00-${'0'.repeat(32)}-${SPAN}-01`,
    `00-${TRACE}-${'0'.repeat(16)}-01`,
    `00-${TRACE.toUpperCase()}-${SPAN}-01`,
    `00-${TRACE.slice(1)}-${SPAN}-01`,
    `00-${TRACE}-${SPAN}-1`,
    `0-${TRACE}-${SPAN}-01`,
    `00-${TRACE}-${SPAN}`,
  ];
  for (const header of bad) {
    const result = parseTraceparent(header);
    t.true(result.isErr() && result.error.code === ErrorCode.INVALID_ARGUMENT, header);
  }
  t.true(formatTraceparent({ traceId: 'x', spanId: SPAN }).isErr());
  t.true(formatTraceparent({ traceId: TRACE, spanId: 'y' }).isErr());
  t.true(formatTraceparent({ traceId: TRACE, spanId: SPAN, flags: 300 }).isErr());
});

test('TraceContext follows awaits, timers and callbacks, and ends with run', async (t) => {
  t.is(TraceContext.current(), undefined);
  const seen: (string | undefined)[] = [];
  const result = await TraceContext.run({ traceId: TRACE, messageId: 'm1', topic: 'orders.created' }, async () => {
    seen.push(TraceContext.current()?.traceId);
    await sleep(1);
    seen.push(TraceContext.current()?.traceId);
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        seen.push(TraceContext.current()?.traceId);
        resolve();
      }, 1),
    );
    await new Promise<void>((resolve) => queueMicrotask(() => (seen.push(TraceContext.current()?.traceId), resolve())));
    return 42;
  });
  t.is(result, 42);
  t.deepEqual(seen, [TRACE, TRACE, TRACE, TRACE]);
  t.is(TraceContext.current(), undefined);
});

test('concurrent contexts do not mix', async (t) => {
  const ids = Array.from({ length: 20 }, () => newTraceId());
  const observed = await Promise.all(
    ids.map((id, i) =>
      TraceContext.run(id, async () => {
        await sleep(20 - i);
        return TraceContext.current()?.traceId;
      }),
    ),
  );
  t.deepEqual(observed, ids);
});

test('child spans keep the trace id with a new span id and the parent span', (t) => {
  TraceContext.run({ traceId: TRACE, spanId: SPAN, messageId: 'm1', topic: 't.x' }, () => {
    const child = TraceContext.child({ messageId: 'm2' });
    t.is(child.traceId, TRACE);
    t.not(child.spanId, SPAN);
    t.true(isSpanId(child.spanId));
    t.is(child.parentSpanId, SPAN);
    t.is(child.messageId, 'm2');
    t.is(child.topic, 't.x');
    TraceContext.runChild({}, () => {
      t.is(TraceContext.current()?.traceId, TRACE);
      t.is(TraceContext.current()?.parentSpanId, SPAN);
    });
    t.is(TraceContext.current()?.spanId, SPAN);
  });
  const root = TraceContext.child();
  t.true(isTraceId(root.traceId));
  t.is(root.parentSpanId, undefined);
});

test('a missing or invalid trace id gets a fresh one; traceIdOrNew is stable inside a run', (t) => {
  TraceContext.run({ messageId: 'only-message' }, () => {
    const current = TraceContext.current();
    t.true(isTraceId(current?.traceId));
    t.true(isSpanId(current?.spanId));
    t.is(TraceContext.traceIdOrNew(), current?.traceId ?? 'none');
  });
  TraceContext.run('not-a-trace-id', () => t.true(isTraceId(TraceContext.current()?.traceId)));
  TraceContext.run(TRACE, () => t.is(TraceContext.current()?.traceId, TRACE));
  t.not(TraceContext.traceIdOrNew(), TraceContext.traceIdOrNew());
  t.true(Object.isFrozen(TraceContext.child()));
});

test('stamp gives a header without a trace id the current one, else a new one, and keeps one it has', (t) => {
  const fresh = Array.from({ length: 3000 }, () => new MessageBuilder().topic('t.s').build().unwrap().header);
  for (const h of fresh) TraceContext.stamp(h);
  const ids = fresh.map((h) => h.traceId as string);
  t.true(ids.every(isTraceId));
  t.is(new Set(ids).size, ids.length, 'never repeated, across slabs');
  const inside = new MessageBuilder().topic('t.s').build().unwrap().header;
  TraceContext.run('4bf92f3577b34da6a3ce929d0e0e4736', () => TraceContext.stamp(inside));
  t.is(inside.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  const own = new MessageBuilder().topic('t.s').traceId('0af7651916cd43dd8448eb211c80319c').build().unwrap().header;
  TraceContext.stamp(own);
  t.is(own.traceId, '0af7651916cd43dd8448eb211c80319c');
});

test('a new trace id given at publish is one id whoever reads it first: text, encoder or JSON', (t) => {
  const viaText = new MessageBuilder().topic('t.s').build().unwrap();
  TraceContext.stamp(viaText.header);
  t.true(viaText.header.hasTraceId());
  const text = viaText.header.traceId as string;
  t.true(isTraceId(text));
  t.is(viaText.header.traceId, text);
  t.is(decode(encode(viaText).unwrap()).unwrap().header.traceId, text);

  const viaBytes = new MessageBuilder().topic('t.s').build().unwrap();
  TraceContext.stamp(viaBytes.header);
  const decoded = decode(encode(viaBytes).unwrap()).unwrap();
  t.true(isTraceId(decoded.header.traceId));
  t.is(viaBytes.header.traceId, decoded.header.traceId);
  t.is(fromJSON(toJSON(viaBytes)).unwrap().header.traceId, decoded.header.traceId);
  t.not(viaBytes.header.traceId, text);

  const cleared = new MessageBuilder().topic('t.s').build().unwrap();
  TraceContext.stamp(cleared.header);
  cleared.header.traceId = null;
  t.false(cleared.header.hasTraceId());
  t.is(decode(encode(cleared).unwrap()).unwrap().header.traceId, null);
});
