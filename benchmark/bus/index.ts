/**
 * The bus suite: in-process publish → queue → executor → delivery to one wildcard subscriber,
 * against mqemitter (which also queues and calls back) and EventEmitter2 (synchronous, no
 * queue); request/reply round trips; and request/reply latency (p50/p95/p99, measured A/B
 * before the harness runs and written to benchmark/results/bus-latency.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import EventEmitter2 from 'eventemitter2';
import { MessageBus } from '../../ts/bus/message-bus.js';
import { MessageBuilder } from '../../ts/message/builder.js';
import type { Message } from '../../ts/message/message.js';
import type { Comparison, Contender, Suite } from '../harness/types.js';
import { type LatencyFigures, percentiles } from '../harness/percentiles.js';
import { type MqEmitter, type MqEmitterFactory, optionalPeer } from './peers.js';

const N = 1000;
const TOPICS = 16;

function messages(): Message[] {
  return Array.from({ length: N }, (_, i) =>
    new MessageBuilder()
      .topic(`orders.eu.${i % TOPICS}.created`)
      .source('bench')
      .addBody('n', i)
      .build()
      .unwrap(),
  );
}

/** A counter that resolves once `n` more deliveries arrived. */
class Countdown {
  count = 0;
  #target = 0;
  #done: () => void = () => {};
  hit = (): undefined => {
    if (++this.count === this.#target) this.#done();
    return undefined;
  };
  expect(n: number): Promise<void> {
    this.#target = this.count + n;
    return new Promise((r) => (this.#done = r));
  }
}

function busContender(msgs: Message[]): Contender {
  const bus = MessageBus.create({ queue: { capacity: 10_000, policy: 'block' } }).unwrap();
  const seen = new Countdown();
  return {
    name: 'MessageBus (queue + event-loop executor)',
    ops: N,
    setup: () => {
      bus.subscribe('orders.#', seen.hit).unwrap();
      bus.start().unwrap();
    },
    fn: async () => {
      const done = seen.expect(N);
      for (let i = 0; i < N; i++) bus.publish(msgs[i] as Message);
      await done;
    },
    teardown: () => bus.stop(),
  };
}

function mqContender(factory: MqEmitterFactory, msgs: Message[]): Contender {
  const mq: MqEmitter = factory();
  const seen = new Countdown();
  const events = msgs.map((m) => ({ topic: m.header.topic.replaceAll('.', '/'), message: m }));
  return {
    name: 'mqemitter',
    ops: N,
    setup: () => {
      mq.on('orders/#', (_m, cb) => {
        seen.hit();
        cb();
      });
    },
    fn: async () => {
      const done = seen.expect(N);
      for (let i = 0; i < N; i++) mq.emit(events[i] as { topic: string });
      await done;
    },
    teardown: () => new Promise<void>((r) => mq.close(() => r())),
  };
}

function ee2Contender(msgs: Message[]): Contender {
  const ee = new EventEmitter2.EventEmitter2({ wildcard: true, delimiter: '.' });
  const seen = new Countdown();
  return {
    name: 'EventEmitter2 wildcard (synchronous, no queue)',
    ops: N,
    setup: () => {
      ee.on('orders.**', seen.hit);
    },
    fn: () => {
      for (let i = 0; i < N; i++) {
        const m = msgs[i] as Message;
        ee.emit(m.header.topic, m);
      }
    },
  };
}

/** Request/reply over a bus whose subscriber replies at once. */
function busRequester(): { request: () => Promise<unknown>; close: () => Promise<unknown> } {
  const bus = MessageBus.create().unwrap();
  bus
    .subscribe('rpc.echo', (m) => {
      bus.reply(m, new MessageBuilder().topic('x').source('server').build().unwrap());
      return undefined;
    })
    .unwrap();
  bus.start().unwrap();
  return {
    request: async () => (await bus.request(new MessageBuilder().topic('rpc.echo').source('client').build().unwrap(), { timeoutMs: 5_000 })).unwrap(),
    close: () => bus.stop(),
  };
}

/** The same round trip on mqemitter: emit the request, the handler emits the reply to a per-request topic. */
function mqRequester(factory: MqEmitterFactory): { request: () => Promise<unknown>; close: () => Promise<unknown> } {
  const mq = factory();
  const waiting = new Map<string, () => void>();
  let next = 0;
  mq.on('rpc/echo', (m, cb) => {
    mq.emit({ topic: `reply/${(m as unknown as { id: string }).id}` });
    cb();
  });
  mq.on('reply/+', (m, cb) => {
    const id = m.topic.slice(6);
    waiting.get(id)?.();
    waiting.delete(id);
    cb();
  });
  return {
    request: () =>
      new Promise<void>((resolve) => {
        const id = String(next++);
        waiting.set(id, resolve);
        mq.emit({ topic: 'rpc/echo', id });
      }),
    close: () => new Promise<void>((r) => mq.close(() => r())),
  };
}

async function measureLatency(mq: MqEmitterFactory | undefined): Promise<void> {
  const rounds = 10;
  const perRound = 2_000;
  const contenders = [{ name: 'MessageBus request/reply', make: busRequester }];
  if (mq) contenders.push({ name: 'mqemitter request/reply (emit + reply topic)', make: () => mqRequester(mq) });
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const made = contenders.map((c) => ({ name: c.name, ...c.make() }));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < made.length; k++) {
      const c = made[(k + round) % made.length] as (typeof made)[number];
      const into = samples.get(c.name) as number[];
      for (let i = 0; i < perRound; i++) {
        const t0 = performance.now();
        await c.request();
        if (round > 0) into.push(performance.now() - t0);
      }
    }
  }
  for (const c of made) await c.close();
  const figures: Record<string, LatencyFigures> = {};
  for (const [name, s] of samples) figures[name] = percentiles(s);
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const report = { what: 'in-process request/reply round trip, one at a time, ms', date: new Date().toISOString(), node: process.version, figures };
  writeFileSync(new URL('bus-latency.json', dir), `${JSON.stringify(report, null, 2)}\n`);
  const lines = Object.entries(figures).map(([n, f]) => `  ${n}: p50 ${f.p50.toFixed(4)} ms, p95 ${f.p95.toFixed(4)} ms, p99 ${f.p99.toFixed(4)} ms (${f.count} samples)`);
  process.stderr.write(`bus request/reply latency:\n${lines.join('\n')}\nwrote benchmark/results/bus-latency.json\n`);
}

async function comparisons(): Promise<Comparison[]> {
  const mq = optionalPeer<MqEmitterFactory>('mqemitter');
  await measureLatency(mq);
  const msgs = messages();
  const rpcBus = busRequester();
  const rpcMq = mq ? mqRequester(mq) : undefined;
  const RPC = 200;
  const sequential = (request: () => Promise<unknown>) => async () => {
    for (let i = 0; i < RPC; i++) await request();
  };
  return [
    {
      name: 'publish → queue → executor → one wildcard subscriber',
      unit: 'msg',
      subject: busContender(msgs),
      peers: [...(mq ? [mqContender(mq, msgs)] : []), ee2Contender(msgs)],
      target: { minOpsPerSec: 2e6, ...(mq ? { minRatio: { mqemitter: 1 } } : {}) },
    },
    {
      name: 'request/reply round trips, one at a time',
      unit: 'round trip',
      subject: { name: 'MessageBus request/reply', ops: RPC, fn: sequential(rpcBus.request), teardown: rpcBus.close },
      peers: rpcMq ? [{ name: 'mqemitter request/reply (emit + reply topic)', ops: RPC, fn: sequential(rpcMq.request), teardown: rpcMq.close }] : [],
    },
  ];
}

export const suite: Suite = {
  name: 'bus',
  description: 'in-process bus: publish to delivery, request/reply',
  comparisons,
};
