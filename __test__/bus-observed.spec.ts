/**
 * MessageBus with metrics and tracing on: counters by topic class across batches and
 * subscription changes, sampled latency histograms, and each message's own trace context for
 * the synchronous part of its handler and for the work it leaves behind.
 */
import test from 'ava';
import { MessageBus } from '../ts/bus/message-bus.js';
import { MessageBuilder } from '../ts/message/builder.js';
import type { Message } from '../ts/message/message.js';
import { createMetrics } from '../ts/observability/metrics.js';
import { TraceContext } from '../ts/observability/trace-context.js';

const msg = (topic: string, ttl = 0): Message => new MessageBuilder().topic(topic).ttl(ttl).build().unwrap();

/** Waits until every message published so far has left the queue (delivered, expired or unrouted). */
async function settled(bus: MessageBus): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const s = bus.stats();
    if (s.depth === 0 && s.delivered + s.expired + s.unrouted === s.published) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error('the bus did not settle');
}

function value(text: string, metric: string, cls: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${metric}{class="${cls}"}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

test('published, delivered, unrouted and expired are counted by topic class over many batches', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false }).unwrap();
  const bus = MessageBus.create({ metrics, batchSize: 7 }).unwrap();
  let received = 0;
  bus.subscribe('orders.#', () => void received++).unwrap();
  bus.start().unwrap();
  await metrics.sampleNow();
  t.regex(await metrics.registry.metrics(), /messaging_executor_workers_idle\{executor="bus.io"\} 1\n/);
  for (let i = 0; i < 50; i++) bus.publish(msg(`orders.eu.${i % 5}`)).unwrap();
  for (let i = 0; i < 9; i++) bus.publish(msg(`users.${i}`)).unwrap();
  const stale = new MessageBuilder().topic('orders.stale').ttl(1).timestamp(Date.now() - 1000).build().unwrap();
  bus.publish(stale).unwrap();
  await settled(bus);
  // A subscription added between batches drops the router's cached routes; counting goes on.
  bus.subscribe('users.*', () => void received++).unwrap();
  for (let i = 0; i < 4; i++) bus.publish(msg(`users.${i}`)).unwrap();
  (await bus.stop()).unwrap();
  t.is(received, 54);
  const text = await metrics.registry.metrics();
  t.is(value(text, 'messaging_messages_published_total', 'orders'), 51);
  t.is(value(text, 'messaging_messages_delivered_total', 'orders'), 50);
  t.is(value(text, 'messaging_messages_expired_total', 'orders'), 1);
  t.is(value(text, 'messaging_messages_published_total', 'users'), 13);
  t.is(value(text, 'messaging_messages_delivered_total', 'users'), 4);
  t.is(value(text, 'messaging_messages_unrouted_total', 'users'), 9);
  await metrics.sampleNow();
  t.regex(await metrics.registry.metrics(), /executor_workers_idle\{executor="bus.io"\} 0\n/, 'a stopped bus reports no workers');
  const timed = text.split('\n').find((l) => l.startsWith('messaging_handling_duration_seconds_count{class="orders"}'));
  t.truthy(timed, 'the first message of a batch is timed');
  t.true(Number(timed?.split(' ').at(-1)) >= 1);
  metrics.close();
});

test('each message of one batch has its own context, in its handler and in what the handler leaves behind', async (t) => {
  const bus = MessageBus.create({}).unwrap();
  const sync: (string | undefined)[] = [];
  const later: Promise<[string, string | undefined, string | undefined]>[] = [];
  bus
    .subscribe('jobs.*', (m) => {
      const current = TraceContext.current();
      sync.push(current?.messageId === m.id && current.topic === m.topic ? current.traceId : undefined);
      later.push(
        new Promise((resolve) =>
          setTimeout(() => resolve([m.header.traceId as string, TraceContext.currentTraceId(), TraceContext.current()?.spanId]), 5),
        ),
      );
      return undefined;
    })
    .unwrap();
  const msgs = Array.from({ length: 20 }, (_, i) => msg(`jobs.${i}`));
  for (const m of msgs) bus.publish(m).unwrap();
  bus.start().unwrap();
  await settled(bus);
  t.deepEqual(sync, msgs.map((m) => m.header.traceId));
  const seen = await Promise.all(later);
  for (const [own, traceId, spanId] of seen) {
    t.is(traceId, own);
    t.regex(spanId ?? '', /^[0-9a-f]{16}$/);
  }
  t.is(new Set(seen.map((s) => s[2])).size, 20, 'a span per message');
  t.is(TraceContext.current(), undefined, 'the batch leaves no context behind');
  (await bus.stop()).unwrap();
});
