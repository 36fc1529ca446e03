import { readFileSync } from 'node:fs';
import test from 'ava';
import fc from 'fast-check';
import Qlobber from 'qlobber';
import { ErrorCode, INVALID_TOPIC, TopicMatcher } from '../ts/index.js';

const sorted = (ids: Iterable<number>) => [...ids].toSorted((a, b) => a - b);

/** The reference: a pattern as an anchored regex over words (RabbitMQ semantics). */
function reference(pattern: string, topic: string): boolean {
  const words = pattern === '' ? [] : pattern.split('.');
  const key = topic === '' ? [] : topic.split('.');
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const k = `${i},${j}`;
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === words.length) r = j === key.length;
    else if (words[i] === '#') r = go(i + 1, j) || (j < key.length && go(i, j + 1));
    else r = j < key.length && (words[i] === '*' || words[i] === key[j]) && go(i + 1, j + 1);
    memo.set(k, r);
    return r;
  };
  return go(0, 0);
}

test('the semantics table of RabbitMQ 3.10 holds', (t) => {
  const table: [string, string, boolean][] = [
    ['a.*.b', 'a..b', true], ['*', '', false], ['#', '', true], ['', '', true], ['a.#', 'a', true],
    ['#.#', '', true], ['*', '.', false], ['*.*', '.', true], ['a.#.b', 'a.b', true], ['#.a.#', 'a', true],
    ['a*', 'a*', true], ['a*', 'ab', false], ['a.#', 'a.', true], ['a.*', 'a.', true], ['#', '.', true],
    ['*.#', '', false],
  ];
  for (const [pattern, key, expected] of table) {
    const m = TopicMatcher.create().unwrap();
    m.add(pattern, 1).unwrap();
    t.is(m.match(key).unwrap().length === 1, expected, `${JSON.stringify(pattern)} vs ${JSON.stringify(key)}`);
    t.is(reference(pattern, key), expected);
  }
});

const vectors = JSON.parse(readFileSync(new URL('./vectors/amqp-topic-rabbitmq.json', import.meta.url), 'utf8')) as {
  patterns: string[];
  cases: { key: string; matches: string[] }[];
};

test('the recorded RabbitMQ deliveries: 300 keys over 160 patterns, single and batch', (t) => {
  const m = TopicMatcher.create().unwrap();
  vectors.patterns.forEach((p, i) => m.add(p, i).unwrap());
  let total = 0;
  for (const c of vectors.cases) {
    const got = sorted(m.match(c.key).unwrap()).map((i) => vectors.patterns[i]);
    t.deepEqual(got.toSorted(), c.matches.toSorted(), `key ${JSON.stringify(c.key)}`);
    total += got.length;
  }
  t.is(total, 4082);
  const batch = m.matchBatch(vectors.cases.map((c) => c.key)).unwrap();
  t.is(batch.ids.length, 4082);
  t.is(batch.invalid, 0);
  let at = 0;
  vectors.cases.forEach((c, i) => {
    const n = batch.counts[i] as number;
    t.is(n, c.matches.length);
    at += n;
  });
  t.is(at, 4082);
});

const T = ['a.b.c', 'a.*.c', 'a.#.b', 'a.b.b.c', '#', '#.#', '#.b', '*.*', 'a.*', '*.b.c', 'a.#', 'a.#.#', 'b.b.c', 'a.b.b', 'a.b', 'b.c', '', '*.*.*', 'vodka.martini', 'a.b.c', '*.#', '#.*.#', '*.#.#', '#.#.#', '*', '#.b.#'];

test('RabbitMQ topic exchange bindings t1-t26, before and after removals', (t) => {
  const m = TopicMatcher.create().unwrap();
  T.forEach((p, i) => m.add(p, i + 1).unwrap());
  t.is(m.size, 26);
  const before: [string, number[]][] = [
    ['a.b.c', [1, 2, 5, 6, 10, 11, 12, 18, 20, 21, 22, 23, 24, 26]],
    ['a.b', [3, 5, 6, 7, 8, 9, 11, 12, 15, 21, 22, 23, 24, 26]],
    ['a.b.b', [3, 5, 6, 7, 11, 12, 14, 18, 21, 22, 23, 24, 26]],
    ['', [5, 6, 17, 24]],
    ['b.c.c', [5, 6, 18, 21, 22, 23, 24, 26]],
    ['a.a.a.a.a', [5, 6, 11, 12, 21, 22, 23, 24]],
    ['vodka.gin', [5, 6, 8, 21, 22, 23, 24]],
    ['vodka.martini', [5, 6, 8, 19, 21, 22, 23, 24]],
    ['b.b.c', [5, 6, 10, 13, 18, 21, 22, 23, 24, 26]],
    ['nothing.here.at.all', [5, 6, 21, 22, 23, 24]],
    ['oneword', [5, 6, 21, 22, 23, 24, 25]],
  ];
  for (const [key, ids] of before) t.deepEqual(sorted(m.match(key).unwrap()), ids, key);
  for (const i of [1, 5, 11, 19, 21]) t.true(m.remove(T[i - 1] as string, i).unwrap());
  t.false(m.remove('a.b.c', 1).unwrap());
  t.is(m.size, 21);
  const after: [string, number[]][] = [
    ['a.b.c', [2, 6, 10, 12, 18, 20, 22, 23, 24, 26]],
    ['a.b', [3, 6, 7, 8, 9, 12, 15, 22, 23, 24, 26]],
    ['a.b.b', [3, 6, 7, 12, 14, 18, 22, 23, 24, 26]],
    ['', [6, 17, 24]],
    ['b.c.c', [6, 18, 22, 23, 24, 26]],
    ['a.a.a.a.a', [6, 12, 22, 23, 24]],
    ['vodka.gin', [6, 8, 22, 23, 24]],
    ['vodka.martini', [6, 8, 22, 23, 24]],
    ['b.b.c', [6, 10, 13, 18, 22, 23, 24, 26]],
    ['nothing.here.at.all', [6, 22, 23, 24]],
    ['oneword', [6, 22, 23, 24, 25]],
  ];
  for (const [key, ids] of after) t.deepEqual(sorted(m.match(key).unwrap()), ids, key);
});

const word = fc.constantFrom('', 'a', 'b', 'c', 'ab');
const patternWord = fc.oneof(word, fc.constant('*'), fc.constant('#'));
const joined = (w: fc.Arbitrary<string>) => fc.array(w, { maxLength: 5 }).map((ws) => ws.join('.'));

test('property: the native matcher agrees with the reference over random patterns and topics, with removals', (t) => {
  fc.assert(
    fc.property(fc.array(joined(patternWord), { minLength: 1, maxLength: 12 }), fc.array(joined(word), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 4 }), (patterns, topics, removals) => {
      const m = TopicMatcher.create().unwrap();
      patterns.forEach((p, i) => m.add(p, i).unwrap());
      const live = new Set(patterns.map((_, i) => i));
      for (const r of removals) {
        const i = r % patterns.length;
        t.is(m.remove(patterns[i] as string, i).unwrap(), live.delete(i));
      }
      for (const topic of topics) {
        const expected = [...live].filter((i) => reference(patterns[i] as string, topic));
        t.deepEqual(sorted(m.match(topic).unwrap()), expected.toSorted((a, b) => a - b), `${topic} in ${JSON.stringify(patterns)}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('differential against qlobber on its AMQP defaults, where the semantics agree', (t) => {
  // Where they differ (docs/TOPICS.md): qlobber refuses more than 3 "#" in a pattern and more
  // than 100 words by default, and treats empty words differently; the generator keeps to
  // non-empty words and at most 3 "#", where both implement the topic-exchange rules.
  const nonEmpty = fc.constantFrom('a', 'b', 'c', 'ab');
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.oneof(nonEmpty, fc.constant('*'), fc.constant('#')), { minLength: 1, maxLength: 4 }).map((w) => w.join('.')).filter((p) => p.split('#').length <= 4), { minLength: 1, maxLength: 10 }),
      fc.array(fc.array(nonEmpty, { minLength: 1, maxLength: 5 }).map((w) => w.join('.')), { maxLength: 10 }),
      (patterns, topics) => {
        const m = TopicMatcher.create().unwrap();
        const q = new Qlobber.QlobberDedup();
        patterns.forEach((p, i) => {
          m.add(p, i).unwrap();
          q.add(p, i);
        });
        for (const topic of topics) t.deepEqual(sorted(m.match(topic).unwrap()), sorted(q.match(topic) as Set<number>), topic);
      },
    ),
    { numRuns: 300 },
  );
});

test('bad patterns and topics are INVALID_ARGUMENT, never a crash', (t) => {
  const m = TopicMatcher.create().unwrap();
  const long = 'a'.repeat(256);
  for (const bad of [long, 'a\nb', 'tab\there']) {
    const r = m.add(bad, 1);
    t.true(r.isErr() && r.error.code === ErrorCode.INVALID_ARGUMENT, bad.slice(0, 10));
    const q = m.match(bad);
    t.true(q.isErr() && q.error.code === ErrorCode.INVALID_ARGUMENT);
  }
  const batch = m.matchBatch(['ok.topic', long, 'fine']).unwrap();
  t.deepEqual([...batch.counts], [0, INVALID_TOPIC, 0]);
  t.is(batch.invalid, 1);
  for (const id of [-1, 1.5, 2 ** 32]) {
    const r = m.add('a', id);
    t.true(r.isErr() && r.error.code === ErrorCode.INVALID_ARGUMENT, String(id));
  }
  t.true(TopicMatcher.create('xml' as never).isErr());
  t.is(m.size, 0);
});

test('MQTT syntax and regex subscriptions', (t) => {
  const m = TopicMatcher.create('mqtt').unwrap();
  m.add('sport/#', 1).unwrap();
  m.add('sport/+/player1', 2).unwrap();
  m.add('+/tennis/#', 3).unwrap();
  t.deepEqual(sorted(m.match('sport').unwrap()), [1]);
  t.deepEqual(sorted(m.match('sport/tennis/player1').unwrap()), [1, 2, 3]);
  t.deepEqual(sorted(m.match('$SYS/tennis/x').unwrap()), []);
  t.true(m.add('sport/ten#', 4).isErr());
  const r = TopicMatcher.create().unwrap();
  r.addRegex('orders\\.(eu|us)\\.[0-9]+', 7).unwrap();
  t.deepEqual([...r.match('orders.eu.42').unwrap()], [7]);
  t.deepEqual([...r.match('orders.asia.42').unwrap()], []);
  t.true(r.addRegex('(a+', 8).isErr());
  t.true(r.removeRegex('orders\\.(eu|us)\\.[0-9]+', 7).unwrap());
});

test('a batch bigger than the reused buffers still returns every id', (t) => {
  const m = TopicMatcher.create().unwrap();
  for (let i = 0; i < 300; i++) m.add('#', i).unwrap();
  const topics = Array.from({ length: 500 }, (_, i) => `t.${i}`);
  const r = m.matchBatch(topics).unwrap();
  t.is(r.ids.length, 300 * 500);
  t.true([...r.counts].every((c) => c === 300));
  t.is(m.match('x').unwrap().length, 300);
});

test('with the native match cache on, results follow every add and remove', (t) => {
  const m = TopicMatcher.create({ cache: 1024 }).unwrap();
  m.add('a.*', 1).unwrap();
  t.deepEqual(sorted(m.match('a.b').unwrap()), [1]);
  t.deepEqual(sorted(m.match('a.b').unwrap()), [1]);
  m.add('#.b', 2).unwrap();
  t.deepEqual(sorted(m.match('a.b').unwrap()), [1, 2]);
  m.remove('a.*', 1).unwrap();
  t.deepEqual(sorted(m.match('a.b').unwrap()), [2]);
  m.clear();
  t.deepEqual(sorted(m.match('a.b').unwrap()), []);
  t.true(TopicMatcher.create({ cache: -1 }).isErr());
});
