/**
 * MessageBus: delivery through queue and executor, ttl expiry, backpressure (reject, block,
 * drop policies), request/reply, failing subscribers, start/stop, injected parts.
 */
import test from 'ava';
import { ErrorCode } from '../ts/core/error-codes.js';
import { MessagingError } from '../ts/core/errors.js';
import { ServiceRegistry } from '../ts/core/registry.js';
import { err } from '../ts/core/result.js';
import { MessageBus } from '../ts/bus/message-bus.js';
import { EventLoopExecutor } from '../ts/executor/event-loop-executor.js';
import { InlineExecutor } from '../ts/executor/inline-executor.js';
import { MessageBuilder } from '../ts/message/builder.js';
import type { Message } from '../ts/message/message.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const msg = (topic: string, b?: (m: MessageBuilder) => MessageBuilder): Message => {
  const builder = new MessageBuilder().topic(topic).source('spec');
  return (b ? b(builder) : builder).build().unwrap();
};

test('new MessageBus() delivers to matching subscribers, wildcards included', async (t) => {
  const bus = new MessageBus();
  const got: string[] = [];
  bus.subscribe('orders.*.created', (m) => void got.push(`one:${m.header.topic}`)).unwrap();
  bus.subscribe('orders.#', (m) => void got.push(`all:${m.header.topic}`)).unwrap();
  bus.start().unwrap();
  bus.publish(msg('orders.eu.created')).unwrap();
  bus.publish(msg('orders.eu.paid')).unwrap();
  bus.publish(msg('users.created')).unwrap();
  (await bus.stop()).unwrap();
  t.deepEqual(got.toSorted(), ['all:orders.eu.created', 'all:orders.eu.paid', 'one:orders.eu.created']);
  t.like(bus.stats(), { published: 3, delivered: 2, unrouted: 1, depth: 0 });
});

test('messages published before start are delivered on start', async (t) => {
  const bus = new MessageBus();
  let n = 0;
  bus.subscribe('a', () => void n++).unwrap();
  bus.publish(msg('a')).unwrap();
  await sleep(5);
  t.is(n, 0);
  bus.start().unwrap();
  await sleep(5);
  t.is(n, 1);
  await bus.stop();
});

test('expired messages are dropped and counted, not delivered', async (t) => {
  const bus = new MessageBus();
  const got: string[] = [];
  bus.subscribe('#', (m) => void got.push(m.header.id)).unwrap();
  const old = msg('x', (b) => b.ttl(10).timestamp(Date.now() - 1_000));
  const fresh = msg('x', (b) => b.ttl(60_000));
  bus.publish(old).unwrap();
  bus.publish(fresh).unwrap();
  bus.start().unwrap();
  await bus.stop();
  t.deepEqual(got, [fresh.header.id]);
  t.is(bus.stats().expired, 1);
});

test('reject: a full queue gives QUEUE_FULL to the publisher', async (t) => {
  const bus = new MessageBus({ queue: { capacity: 2, policy: 'reject' } });
  bus.subscribe('#', () => undefined).unwrap();
  t.true(bus.publish(msg('a')).isOk());
  t.true(bus.publish(msg('a')).isOk());
  const r = bus.publish(msg('a'));
  t.is(r.isErr() && r.error.code, ErrorCode.QUEUE_FULL);
  t.is(bus.stats().rejected, 1);
  bus.start().unwrap();
  await bus.stop();
  t.is(bus.stats().delivered, 2);
});

test('block: publishAsync waits for room, then TIMEOUT when none comes', async (t) => {
  const bus = new MessageBus({ queue: { capacity: 1, policy: 'block', blockTimeoutMs: 40 } });
  bus.subscribe('#', () => undefined).unwrap();
  (await bus.publishAsync(msg('a'))).unwrap();
  const sync = bus.publish(msg('a'));
  t.is(sync.isErr() && sync.error.code, ErrorCode.QUEUE_FULL, 'a synchronous publish cannot wait');
  const start = performance.now();
  const timedOut = await bus.publishAsync(msg('a'));
  t.is(timedOut.isErr() && timedOut.error.code, ErrorCode.TIMEOUT);
  t.true(performance.now() - start >= 35);
  const waiting = bus.publishAsync(msg('b'), { timeoutMs: 2_000 });
  await sleep(10);
  bus.start().unwrap();
  t.true((await waiting).isOk(), 'admitted once delivery made room');
  await bus.stop();
  t.like(bus.stats(), { delivered: 2, timedOut: 1 });
});

test('drop policies keep the bus going and count the drops', async (t) => {
  for (const policy of ['drop_newest', 'drop_oldest'] as const) {
    const bus = new MessageBus({ queue: { capacity: 2, policy } });
    const got: string[] = [];
    bus.subscribe('#', (m) => void got.push(m.header.topic)).unwrap();
    for (const topic of ['a', 'b', 'c', 'd']) t.true(bus.publish(msg(topic)).isOk());
    bus.start().unwrap();
    await bus.stop();
    t.deepEqual(got, policy === 'drop_newest' ? ['a', 'b'] : ['c', 'd'], policy);
    t.is(bus.stats().dropped, 2);
  }
});

test('request/reply pairs the reply by correlation id; no reply is TIMEOUT', async (t) => {
  const bus = new MessageBus();
  bus
    .subscribe('math.double', (m) => {
      const n = m.body.get('n') as number;
      bus.reply(m, new MessageBuilder().topic('x').source('math').addBody('n', n * 2).build().unwrap()).unwrap();
      return undefined;
    })
    .unwrap();
  bus.start().unwrap();
  const reply = (await bus.request(new MessageBuilder().topic('math.double').source('spec').addBody('n', 21).build().unwrap(), { timeoutMs: 1_000 })).unwrap();
  t.is(reply.body.get('n'), 42);
  t.is(reply.header.type, 'reply');
  const none = await bus.request(msg('nobody.home'), { timeoutMs: 20 });
  t.is(none.isErr() && none.error.code, ErrorCode.TIMEOUT);
  t.is(bus.stats().requestTimeouts, 1);
  const notRequest = bus.reply(msg('a'), msg('b'));
  t.is(notRequest.isErr() && notRequest.error.code, ErrorCode.INVALID_ARGUMENT);
  await bus.stop();
});

test('subscribers that throw, reject or return Err never stop delivery', async (t) => {
  const errors: unknown[] = [];
  const logger = { error: (f: unknown) => errors.push(f), warn: () => {}, info: () => {} } as never;
  const bus = new MessageBus({ logger });
  let ok = 0;
  bus.subscribe('#', () => {
    throw new Error('boom');
  });
  bus.subscribe('#', () => Promise.reject(new Error('later')));
  bus.subscribe('#', () => err(new MessagingError(ErrorCode.INVALID_MESSAGE, 'no')));
  bus.subscribe('#', () => void ok++);
  bus.start().unwrap();
  for (let i = 0; i < 10; i++) bus.publish(msg('t')).unwrap();
  await bus.stop();
  await sleep(5);
  t.is(ok, 10);
  t.is(errors.length, 30);
});

test('stop refuses new publishes and fails blocked publishers', async (t) => {
  const bus = new MessageBus({ queue: { capacity: 1 } });
  bus.publish(msg('a')).unwrap();
  const blocked = bus.publishAsync(msg('a'), { timeoutMs: 5_000 });
  const stopped = await bus.stop({ drain: false });
  t.is(stopped.unwrap().abandoned, 1);
  const r = await blocked;
  t.is(r.isErr() && r.error.code, ErrorCode.QUEUE_CLOSED);
  const after = bus.publish(msg('a'));
  t.is(after.isErr() && after.error.code, ErrorCode.QUEUE_CLOSED);
});

test('bad configuration is a CONFIG_ERROR from create and from every call of new MessageBus', async (t) => {
  for (const queue of [{ capacity: 0 }, { capacity: -3 }, { policy: 'spill' as never }]) {
    const created = MessageBus.create({ queue });
    t.is(created.isErr() && created.error.code, ErrorCode.CONFIG_ERROR);
    const bus = new MessageBus({ queue });
    const r = bus.publish(msg('a'));
    t.is(r.isErr() && r.error.code, ErrorCode.CONFIG_ERROR);
    t.is(bus.start().isErr(), true);
  }
});

test('executors injected directly or through the registry run the deliveries', async (t) => {
  const inline = InlineExecutor.create({ name: 'inline-io' }).unwrap();
  let calls = 0;
  const counting = {
    name: 'counting',
    submit: ((job: never, o: never) => {
      calls++;
      return inline.submit(job, o);
    }) as typeof inline.submit,
    shutdown: (o?: never) => inline.shutdown(o),
  };
  const registry = new ServiceRegistry();
  registry.register('io', counting).unwrap();
  registry.register('work', EventLoopExecutor.create().unwrap()).unwrap();
  const bus = MessageBus.create({ registry, batchSize: 4 }).unwrap();
  let n = 0;
  bus.subscribe('x', () => void n++).unwrap();
  bus.start().unwrap();
  for (let i = 0; i < 10; i++) bus.publish(msg('x')).unwrap();
  await bus.stop();
  t.is(n, 10);
  t.true(calls >= 3, `one job per batch of 4, got ${calls} jobs`);
});

test('a full queue logs a warning once and an all-clear once', async (t) => {
  const lines: string[] = [];
  const logger = { warn: (_f: unknown, m: string) => lines.push(m), info: (_f: unknown, m: string) => lines.push(m), error: () => {} } as never;
  const bus = new MessageBus({ logger, queue: { capacity: 10, policy: 'reject' } });
  bus.subscribe('#', () => undefined).unwrap();
  for (let i = 0; i < 12; i++) bus.publish(msg('a'));
  bus.start().unwrap();
  await bus.stop();
  t.deepEqual(lines, ['queue bus.queue is above its high watermark', 'queue bus.queue is back below its low watermark']);
});
