import test from 'ava';
import { ErrorCode, MessagingError, type Subscription, TopicRouter, err, ok } from '../ts/index.js';

interface Msg {
  n: number;
}

function router(onError?: (e: MessagingError, s: Subscription<Msg>, m: Msg) => void) {
  return TopicRouter.create<Msg>(onError ? { onError } : {}).unwrap();
}

test('delivers to every matching subscription, higher priority first, then subscription order', (t) => {
  const r = router();
  const order: string[] = [];
  r.subscribe('user.#', () => void order.push('low#'), { priority: 1 }).unwrap();
  r.subscribe('user.*.created', () => void order.push('mid*'), { priority: 5 }).unwrap();
  r.subscribe('user.events.created', () => void order.push('high'), { priority: 9 }).unwrap();
  r.subscribe('user.events.*', () => void order.push('mid2')).unwrap();
  r.subscribe('order.#', () => void order.push('never')).unwrap();
  t.deepEqual(r.publish('user.events.created', { n: 1 }).unwrap(), { delivered: 4 });
  t.deepEqual(order, ['high', 'mid*', 'mid2', 'low#']);
});

test('a filter sees the message and the topic; filtered-out subscriptions are not counted', (t) => {
  const r = router();
  const got: number[] = [];
  r.subscribe('n.*', (m) => void got.push(m.n), { filter: (m, topic) => m.n % 2 === 0 && topic === 'n.x' }).unwrap();
  for (let n = 0; n < 6; n++) r.publish('n.x', { n }).unwrap();
  t.is(r.publish('n.y', { n: 8 }).unwrap().delivered, 0);
  t.deepEqual(got, [0, 2, 4]);
});

test('no subscriber is normal; mandatory with no receiver is ROUTING_FAILED', (t) => {
  const r = router();
  t.deepEqual(r.publish('nobody.home', { n: 1 }).unwrap(), { delivered: 0 });
  const m = r.publish('nobody.home', { n: 1 }, { mandatory: true });
  t.true(m.isErr() && m.error.code === ErrorCode.ROUTING_FAILED);
  r.subscribe('nobody.*', () => undefined, { filter: () => false }).unwrap();
  const filtered = r.publish('nobody.home', { n: 1 }, { mandatory: true });
  t.true(filtered.isErr() && filtered.error.code === ErrorCode.ROUTING_FAILED);
});

test('a subscriber that throws, returns Err or rejects is reported and does not stop the others', async (t) => {
  const reported: [string, string][] = [];
  const r = router((e, s) => void reported.push([s.pattern, e.codeName]));
  let reached = 0;
  r.subscribe('x', () => {
    throw new Error('boom');
  }, { priority: 10 }).unwrap();
  r.subscribe('x', () => err(new MessagingError('JOB_FAILED', 'nope')), { priority: 9 }).unwrap();
  r.subscribe('#', async () => {
    await Promise.resolve();
    throw new MessagingError('TIMEOUT', 'late');
  }, { priority: 8 }).unwrap();
  r.subscribe('x', () => {
    reached++;
    return ok();
  }, { priority: 1 }).unwrap();
  r.subscribe('x', () => undefined, { filter: () => {
    throw new Error('bad filter');
  } }).unwrap();
  t.is(r.publish('x', { n: 1 }).unwrap().delivered, 4);
  t.is(reached, 1);
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(reported.toSorted(), [
    ['#', 'TIMEOUT'],
    ['x', 'JOB_FAILED'],
    ['x', 'UNKNOWN_ERROR'],
    ['x', 'UNKNOWN_ERROR'],
  ]);
});

test('unsubscribe stops delivery and invalidates the match cache', (t) => {
  const r = router();
  let a = 0;
  let b = 0;
  const sa = r.subscribe('t.#', () => void a++).unwrap();
  r.publish('t.1', { n: 1 }).unwrap(); // caches the match of t.1
  const sb = r.subscribe('t.*', () => void b++).unwrap();
  r.publish('t.1', { n: 1 }).unwrap();
  t.true(r.unsubscribe(sa).isOk());
  r.publish('t.1', { n: 1 }).unwrap();
  t.deepEqual([a, b], [2, 2]);
  const again = r.unsubscribe(sa);
  t.true(again.isErr() && again.error.code === ErrorCode.NOT_FOUND);
  t.is(r.size, 1);
  r.clear();
  t.is(r.publish('t.1', { n: 1 }).unwrap().delivered, 0);
  t.true(r.unsubscribe(sb).isErr());
});

test('bad patterns, priorities and handlers are INVALID_ARGUMENT', (t) => {
  const r = router();
  for (const bad of [
    r.subscribe('a'.repeat(300), () => undefined),
    r.subscribe('a', () => undefined, { priority: 11 }),
    r.subscribe('a', () => undefined, { priority: 1.5 }),
    r.subscribe('a', 'not a function' as never),
  ]) {
    t.true(bad.isErr() && bad.error.code === ErrorCode.INVALID_ARGUMENT);
  }
  const badTopic = r.publish('bad\ntopic', { n: 1 });
  t.true(badTopic.isErr() && badTopic.error.code === ErrorCode.INVALID_ARGUMENT);
  t.is(r.size, 0);
});

test('the match cache stays bounded and correct past its size', (t) => {
  const r = TopicRouter.create<Msg>({ cacheSize: 8 }).unwrap();
  let hits = 0;
  r.subscribe('k.*', () => void hits++).unwrap();
  for (let i = 0; i < 100; i++) r.publish(`k.${i % 20}`, { n: i }).unwrap();
  t.is(hits, 100);
});

test('route(topic) is cached until a subscription changes; deliver hands a message to its subscriptions', (t) => {
  const strings = TopicRouter.create<string>().unwrap();
  const got: string[] = [];
  strings.subscribe('a.*', (m) => void got.push(`star ${m}`)).unwrap();
  strings.subscribe('a.#', (m) => void got.push(`hash ${m}`), { filter: (m) => m !== 'skip' }).unwrap();
  const route = strings.route('a.b').unwrap();
  t.is(route.topic, 'a.b');
  t.is(route.tag, -1);
  t.is(route.count, 0);
  t.is(route.subscriptions.length, 2);
  route.tag = 3;
  t.is(strings.route('a.b').unwrap(), route, 'the same cached route, with the caller tag');
  t.is(strings.deliver(route, 'a.b', 'one'), 2);
  t.is(strings.deliver(route, 'a.b', 'skip'), 1);
  t.deepEqual(got, ['star one', 'hash one', 'star skip']);
  strings.subscribe('#', () => undefined).unwrap();
  const fresh = strings.route('a.b').unwrap();
  t.not(fresh, route);
  t.is(fresh.tag, -1);
  t.is(fresh.subscriptions.length, 3);
  t.true(strings.route('a.'.repeat(200)).isErr(), 'a topic over the length limit');
});
