/**
 * The network suite: one publisher process and one subscriber process through a broker, with
 * 256-byte messages. The broker under test runs in this process (plain TCP and TLS), aedes
 * (MQTT QoS0) too, nats-server runs as its own server on 127.0.0.1:4222. Also request/reply with
 * 64 in flight, latency at 100K msg/s offered and the RSS of 10,000 idle connections.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { MessagingServer } from '../../ts/index.js';
import { percentiles } from '../harness/percentiles.js';
import type { Comparison, Contender, Suite, SuiteExtra } from '../harness/types.js';
import { makeCertificates } from '../../__test__/helpers/certificates.js';

const CHILD = new URL('./child.ts', import.meta.url).pathname;
const BURST = 50_000;
const NATS_URL = '127.0.0.1:4222';

type System = 'messaging' | 'messaging-tls' | 'aedes' | 'nats';

function spawn(system: System, role: string, url: string): Promise<ChildProcess> {
  const child = fork(CHILD, [system, role, url], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${system} ${role} exited with ${code}`)));
  });
}

function ask(child: ChildProcess, cmd: Record<string, unknown>, answer: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (m.op !== answer) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
    child.send(cmd);
  });
}

/** A broker of each system, started on demand and stopped at the end. */
class Brokers {
  #messaging: MessagingServer | null = null;
  #tls: MessagingServer | null = null;
  #aedes: { server: Server; broker: Aedes } | null = null;

  async url(system: System): Promise<string> {
    if (system === 'nats') return NATS_URL;
    if (system === 'aedes') {
      if (!this.#aedes) {
        const broker = await Aedes.createBroker();
        const server = createServer(broker.handle as never);
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        this.#aedes = { server, broker };
      }
      const a = this.#aedes.server.address();
      return `mqtt://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    }
    if (system === 'messaging-tls') {
      if (!this.#tls) {
        const certs = makeCertificates();
        this.#tls = new MessagingServer({ port: 0, tls: { cert: certs.serverCert, key: certs.serverKey }, outboundLimitBytes: 64 * 1024 * 1024 });
        (await this.#tls.start()).unwrap();
      }
      return this.#tls.url;
    }
    if (!this.#messaging) {
      this.#messaging = new MessagingServer({ port: 0, outboundLimitBytes: 64 * 1024 * 1024, maxConnections: 20_000, idleTimeoutMs: 0 });
      (await this.#messaging.start()).unwrap();
    }
    return this.#messaging.url;
  }

  get messaging(): MessagingServer | null {
    return this.#messaging;
  }

  async stop(): Promise<void> {
    await this.#messaging?.stop({ drainMs: 100 });
    await this.#tls?.stop({ drainMs: 100 });
    if (this.#aedes) {
      this.#aedes.server.close();
      await new Promise<void>((resolve) => this.#aedes?.broker.close(() => resolve()));
    }
  }
}

const brokers = new Brokers();

function throughput(system: System, name: string): Contender {
  let pub: ChildProcess;
  let sub: ChildProcess;
  return {
    name,
    ops: BURST,
    setup: async () => {
      const url = await brokers.url(system);
      sub = await spawn(system, 'sub', url);
      await ask(sub, { op: 'subscribe' }, 'ready');
      pub = await spawn(system, 'pub', url);
    },
    fn: async () => {
      await ask(sub, { op: 'expect', n: BURST }, 'expecting');
      const received = ask(sub, { op: 'noop' }, 'received');
      pub.send({ op: 'burst', n: BURST });
      await received;
    },
    teardown: () => {
      pub.kill();
      sub.kill();
    },
  };
}

function requestReply(system: System, name: string): Contender {
  let requester: ChildProcess;
  let responder: ChildProcess;
  const N = 5000;
  return {
    name,
    ops: N,
    setup: async () => {
      const url = await brokers.url(system);
      responder = await spawn(system, 'responder', url);
      await ask(responder, { op: 'respond' }, 'ready');
      requester = await spawn(system, 'requester', url);
    },
    fn: () => ask(requester, { op: 'requests', n: N }, 'done'),
    teardown: () => {
      requester.kill();
      responder.kill();
    },
  };
}

function ms(v: number): string {
  return `${v.toFixed(2)} ms`;
}


async function latencyAt(system: System, rate: number, seconds: number) {
  const url = await brokers.url(system);
  const sub = await spawn(system, 'sub', url);
  await ask(sub, { op: 'subscribe' }, 'ready');
  const pub = await spawn(system, 'pub', url);
  const total = Math.floor(rate * seconds);
  await ask(sub, { op: 'latency', n: total }, 'expecting');
  const done = ask(sub, { op: 'noop' }, 'received');
  const started = Date.now();
  await ask(pub, { op: 'rate', rate, seconds }, 'sent');
  await Promise.race([done, new Promise((r) => setTimeout(r, 20_000))]);
  const elapsed = (Date.now() - started) / 1000;
  const { values } = (await ask(sub, { op: 'latencies' }, 'latencies')) as { values: number[] };
  pub.kill();
  sub.kill();
  const { p50, p95, p99 } = percentiles(values);
  return { system, offered: rate, received: values.length, achieved: Math.round(values.length / elapsed), p50, p95, p99 };
}

async function idleConnections(count: number) {
  const url = await brokers.url('messaging');
  const before = process.memoryUsage().rss;
  const holder = fork(new URL('./idle-connections.ts', import.meta.url).pathname, [url, String(count)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const opened = await new Promise<number>((resolve) => holder.once('message', (m: { opened: number }) => resolve(m.opened)));
  const connections = brokers.messaging?.stats().connections ?? 0;
  const rss = process.memoryUsage().rss;
  const reached = await new Promise<boolean>((resolve) => {
    holder.once('message', (m: { reached: boolean }) => resolve(m.reached));
    holder.send({ op: 'publish' });
  });
  holder.kill();
  return { opened, connections, rssBeforeMB: Math.round(before / 2 ** 20), rssWithConnectionsMB: Math.round(rss / 2 ** 20), publishReachedSubscriberAmongThem: reached };
}

async function extra(): Promise<SuiteExtra> {
  const latency = [await latencyAt('messaging', 100_000, 3), await latencyAt('nats', 100_000, 3), await latencyAt('aedes', 100_000, 3)];
  const idle = await idleConnections(10_000);
  await brokers.stop();
  const markdown = [
    '### Latency at 100K msg/s offered (256-byte messages, publisher and subscriber processes)',
    '',
    '| broker | achieved msg/s | p50 | p95 | p99 |',
    '|---|---:|---:|---:|---:|',
    ...latency.map((l) => `| ${l.system} | ${l.achieved} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} |`),
    '',
    '### 10,000 idle connections',
    '',
    `${idle.opened} connections opened, ${idle.connections} held by the broker; broker process RSS ${idle.rssBeforeMB} MB before, ${idle.rssWithConnectionsMB} MB with them; a publish reached a subscriber among them: ${idle.publishReachedSubscriberAmongThem}.`,
  ].join('\n');
  return { markdown, data: { latency, idle } };
}

export const suite: Suite = {
  name: 'network',
  description: 'broker throughput, request/reply, latency and idle connections over loopback',
  comparisons: (): Comparison[] => [
    {
      name: 'publish → broker → subscribe, 256-byte messages, one publisher and one subscriber process',
      unit: 'msg',
      subject: throughput('messaging', 'messaging-system broker (TCP)'),
      peers: [throughput('aedes', 'aedes (MQTT QoS0)'), throughput('nats', 'nats-server + nats client')],
      target: { minOpsPerSec: 200_000, minRatio: { 'aedes (MQTT QoS0)': 2 } },
    },
    {
      name: 'the same over TLS',
      unit: 'msg',
      subject: throughput('messaging-tls', 'messaging-system broker (TLS)'),
      peers: [throughput('messaging', 'messaging-system broker (TCP)')],
    },
    {
      name: 'request/reply round trips, 64 in flight',
      unit: 'round trip',
      subject: requestReply('messaging', 'messaging-system request/reply'),
      peers: [requestReply('nats', 'nats request/reply')],
      target: { minOpsPerSec: 50_000 },
    },
  ],
  extra,
};
