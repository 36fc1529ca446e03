import test from 'ava';
import { ErrorCode, type Message, MessageBuilder, MessageBus, MessagingError, PersistentMessageQueue, err, ok } from '../ts/index.js';

async function setup(t: import('ava').ExecutionContext) {
  const queue = (await PersistentMessageQueue.open({}, { leaseMs: 2000, backoffMs: [20, 40], maxAttempts: 2 })).unwrap();
  const bus = MessageBus.create({ durable: { queue, patterns: ['orders.#'], consume: { batchSize: 10 } } }).unwrap();
  t.teardown(async () => {
    await bus.stop();
    await queue.close();
  });
  return { queue, bus };
}

const order = (n: number) => new MessageBuilder().topic('orders.created').addBody('n', n).build().unwrap();

async function until(check: () => boolean | Promise<boolean>, ms = 8000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a durable topic is stored before publishAsync resolves, then delivered and completed', async (t) => {
  const { queue, bus } = await setup(t);
  const got: number[] = [];
  bus.subscribe('orders.*', (m: Message) => void got.push(m.body.get('n') as number)).unwrap();
  (await bus.publishAsync(order(1))).unwrap();
  const stored = (await queue.counts()).unwrap();
  t.is(stored.pending, 1);
  bus.start().unwrap();
  await until(() => got.length === 1);
  t.deepEqual(got, [1]);
  await until(async () => (await queue.counts()).unwrap().pending === 0);
  t.is(bus.durable?.stats.delivered, 1);
});

test('a synchronous publish to a durable topic is refused; other topics stay in memory', async (t) => {
  const { bus } = await setup(t);
  const r = bus.publish(order(1));
  t.true(r.isErr() && r.error.code === ErrorCode.INVALID_STATE);
  let plain = 0;
  bus.subscribe('chat.#', () => void plain++).unwrap();
  bus.start().unwrap();
  bus.publish(new MessageBuilder().topic('chat.hello').build().unwrap()).unwrap();
  await until(() => plain === 1);
  t.pass();
});

test('a subscriber that fails is retried, and after max attempts the message is a dead letter', async (t) => {
  const { queue, bus } = await setup(t);
  let calls = 0;
  let okCalls = 0;
  bus.subscribe('orders.#', (m: Message) => {
    calls++;
    if (m.body.get('n') === 2) return err(new MessagingError('JOB_FAILED', 'no stock'));
    okCalls++;
    return ok();
  }).unwrap();
  let flaky = 0;
  bus.subscribe('orders.#', () => {
    if (flaky++ === 0) throw new Error('first try fails');
  }).unwrap();
  bus.start().unwrap();
  (await bus.publishAsync(order(1))).unwrap();
  (await bus.publishAsync(order(2))).unwrap();
  await until(async () => (await queue.deadLetters.list()).unwrap().length === 1);
  const dead = (await queue.deadLetters.list()).unwrap();
  t.is(dead[0]?.message.body.get('n'), 2);
  t.true(calls >= 3);
  t.true(okCalls >= 1);
  t.true((bus.durable?.stats.failed ?? 0) >= 2);
});

test('a bad durable pattern is a configuration error', async (t) => {
  const queue = (await PersistentMessageQueue.open({})).unwrap();
  const r = MessageBus.create({ durable: { queue, patterns: ['a'.repeat(300)] } });
  t.true(r.isErr() && r.error.code === ErrorCode.CONFIG_ERROR);
  await queue.close();
});
