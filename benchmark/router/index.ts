/**
 * The router suite: native trie matching against qlobber at 1K/10K/100K subscriptions, the
 * batch path, subscribe/unsubscribe churn, and TopicRouter.publish against eventemitter2 in
 * wildcard mode.
 */
import EventEmitter2 from 'eventemitter2';
import Qlobber from 'qlobber';
import { TopicMatcher, TopicRouter } from '../../ts/index.js';
import type { Comparison, Contender, Suite } from '../harness/types.js';
import { patterns, topics } from './workload.js';

const N = 1000;

/** A native matcher and a qlobber holding the same `count` subscriptions of the workload. */
function loaded(count: number, cache = 0) {
  const m = TopicMatcher.create({ cache }).unwrap();
  const q = new Qlobber.QlobberDedup();
  patterns(count).forEach((p, i) => {
    m.add(p, i).unwrap();
    q.add(p, i);
  });
  return { m, q };
}

/** The peer of every match comparison: QlobberDedup.match over the same topics, one call each. */
function qlobberPeer(name: string, q: InstanceType<typeof Qlobber.QlobberDedup>, tops: readonly string[]): Contender {
  let sink = 0;
  return {
    name,
    ops: tops.length,
    fn: () => {
      for (const t of tops) sink += q.match(t).size;
      return sink;
    },
  };
}

function matchComparison(subscriptions: number, withTarget: boolean): Comparison {
  const tops = topics(N);
  const { m, q } = loaded(subscriptions);
  let sink = 0;
  return {
    name: `match one 4-word topic, ${subscriptions / 1000}K subscriptions`,
    unit: 'match',
    subject: {
      name: 'TopicMatcher.match (native, no cache)',
      ops: N,
      fn: () => {
        for (const t of tops) sink += m.match(t).unwrap().length;
        return sink;
      },
    },
    peers: [qlobberPeer('QlobberDedup.match', q, tops)],
    ...(withTarget ? { target: { minRatio: { 'QlobberDedup.match': 4 } } } : {}),
  };
}

function cachedComparison(): Comparison {
  const pats = patterns(10_000);
  const tops = topics(N);
  const router = TopicRouter.create().unwrap();
  const q = new Qlobber.QlobberDedup();
  pats.forEach((p, i) => {
    router.subscribe(p, () => undefined).unwrap();
    q.add(p, i);
  });
  let sink = 0;
  return {
    name: 'match one 4-word topic, 10K subscriptions, repeated topics',
    unit: 'match',
    subject: {
      name: 'TopicRouter.matching (topic cache, native on miss)',
      ops: N,
      fn: () => {
        for (const t of tops) sink += router.matching(t).unwrap().length;
        return sink;
      },
    },
    peers: [qlobberPeer('QlobberDedup.match', q, tops)],
    target: { minRatio: { 'QlobberDedup.match': 4 } },
  };
}

function batchComparison(cache: number): Comparison {
  const tops = topics(N);
  const { m, q } = loaded(10_000, cache);
  let sink = 0;
  return {
    name: `match 1,000 topics in one call, 10K subscriptions, ${cache ? 'core match cache on' : 'no cache'}`,
    unit: 'topic',
    subject: { name: `TopicMatcher.matchBatch (native${cache ? ', cached' : ''})`, ops: N, fn: () => (sink += m.matchBatch(tops).unwrap().ids.length) },
    peers: [qlobberPeer('QlobberDedup.match loop', q, tops)],
    target: { minOpsPerSec: 10e6 },
  };
}

function churnComparison(): Comparison {
  const { m, q } = loaded(10_000);
  const extra = patterns(N, 9);
  return {
    name: 'subscribe + unsubscribe churn, 10K subscriptions held',
    unit: 'op',
    subject: {
      name: 'TopicMatcher add/remove',
      ops: 2 * N,
      fn: () => {
        for (let i = 0; i < N; i++) m.add(extra[i] as string, 1e6 + i);
        for (let i = 0; i < N; i++) m.remove(extra[i] as string, 1e6 + i);
      },
    },
    peers: [
      {
        name: 'QlobberDedup add/remove',
        ops: 2 * N,
        fn: () => {
          for (let i = 0; i < N; i++) q.add(extra[i] as string, 1e6 + i);
          for (let i = 0; i < N; i++) q.remove(extra[i] as string, 1e6 + i);
        },
      },
    ],
    target: { minOpsPerSec: 1e6 },
  };
}

function publishComparison(): Comparison {
  // 1,000 subscriptions; 10 of them wildcards that match the published topic.
  const router = TopicRouter.create<number>().unwrap();
  const ee = new EventEmitter2.EventEmitter2({ wildcard: true, delimiter: '.', maxListeners: 0 });
  let received = 0;
  const handler = () => {
    received++;
  };
  const wild = ['orders.*.created', 'orders.#', '#.created', 'orders.eu.*', '*.eu.created', '*.*.created', 'orders.*.*', '#', 'orders.eu.#', '#.eu.created'];
  const eeWild = ['orders.*.created', 'orders.**', '**.created', 'orders.eu.*', '*.eu.created', '*.*.created', 'orders.*.*', '**', 'orders.eu.**', '**.eu.created'];
  for (let i = 0; i < 990; i++) {
    router.subscribe(`other${i}.x.y`, handler).unwrap();
    ee.on(`other${i}.x.y`, handler);
  }
  for (const p of wild) router.subscribe(p, handler).unwrap();
  for (const p of eeWild) ee.on(p, handler);
  const topic = 'orders.eu.created';
  return {
    name: 'publish to 10 wildcard subscribers among 1,000 (synchronous delivery)',
    unit: 'publish',
    subject: {
      name: 'TopicRouter.publish',
      ops: N,
      fn: () => {
        for (let i = 0; i < N; i++) router.publish(topic, i);
        return received;
      },
    },
    peers: [
      {
        name: 'EventEmitter2 (wildcard) emit',
        ops: N,
        fn: () => {
          for (let i = 0; i < N; i++) ee.emit(topic, i);
          return received;
        },
      },
    ],
    target: { minOpsPerSec: 1e6, minRatio: { 'EventEmitter2 (wildcard) emit': 1.5 } },
  };
}

export const suite: Suite = {
  name: 'router',
  description: 'topic matching and routing',
  comparisons: () => [
    matchComparison(1_000, false),
    matchComparison(10_000, true),
    matchComparison(100_000, false),
    cachedComparison(),
    batchComparison(0),
    batchComparison(4096),
    churnComparison(),
    publishComparison(),
  ],
};
