/**
 * A publisher, subscriber, requester or responder process of the network suite, for the broker
 * under test or a peer (aedes over MQTT QoS0, nats-server). The parent drives it over IPC:
 * `burst n` publishes n messages of 256 bytes as fast as the socket takes them, `expect n`
 * reports when n have arrived, `requests n` runs n round trips with 64 in flight, `rate r s`
 * publishes at r msg/s for s seconds with send times in the payload, and `idle n` opens n idle
 * connections.
 */
import { connect as mqttConnect } from 'mqtt';
import { connect as natsConnect } from 'nats';
import { MessageBuilder, MessagingClient, type Message } from '../../ts/index.js';

type System = 'messaging' | 'messaging-tls' | 'aedes' | 'nats';
const [system, role, url] = process.argv.slice(2) as [System, string, string];
const send = (m: unknown) => process.send?.(m);
const PAYLOAD = 256;

interface Transport {
  publish(topic: string, stamp: number): void;
  subscribe(topic: string, onMessage: (stamp: number) => void): Promise<void>;
  flush(): Promise<void>;
  request?(n: number): Promise<void>;
  respond?(): Promise<void>;
}

function stampOf(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + at, 8).getFloat64(0, true);
}

async function messaging(): Promise<Transport> {
  const tls = system === 'messaging-tls';
  const client = (await MessagingClient.connect(url, tls ? { tls: { rejectUnauthorized: false } } : {})).unwrap();
  const pad = new Uint8Array(PAYLOAD - 120); // the header, topic and fields take the rest of the 256 bytes
  const stamp = new Uint8Array(8);
  const sv = new DataView(stamp.buffer);
  let waiting: Promise<unknown> | null = null;
  return {
    publish(topic, at) {
      sv.setFloat64(0, at, true);
      const m = new MessageBuilder().topic(topic).source('bench').addBody('t', stamp).addBody('pad', pad).build().unwrap();
      const r = client.publish(m);
      waiting = r;
    },
    async subscribe(topic, onMessage) {
      (await client.subscribe(topic, (m: Message) => onMessage(stampOf(m.body.get('t') as Uint8Array, 0)))).unwrap();
    },
    async flush() {
      if (waiting) await waiting;
    },
    async request(n) {
      let next = 0;
      const worker = async () => {
        while (next < n) {
          next++;
          (await client.request(new MessageBuilder().topic('rr.ask').addBody('pad', pad).build().unwrap(), { timeoutMs: 10_000 })).unwrap();
        }
      };
      await Promise.all(Array.from({ length: 64 }, worker));
    },
    async respond() {
      (await client.subscribe('rr.ask', (m) => void client.reply(m, new MessageBuilder().topic('r').addBody('ok', true).build().unwrap()))).unwrap();
    },
  };
}

async function aedes(): Promise<Transport> {
  const client = mqttConnect(url, { protocolVersion: 4 });
  await new Promise((resolve) => client.once('connect', resolve));
  const buf = Buffer.alloc(PAYLOAD);
  return {
    publish(topic, at) {
      buf.writeDoubleLE(at, 0);
      client.publish(topic.replaceAll('.', '/'), buf, { qos: 0 });
    },
    async subscribe(topic, onMessage) {
      client.on('message', (_t, payload) => onMessage(payload.readDoubleLE(0)));
      await new Promise((resolve) => client.subscribe(topic.replaceAll('.', '/').replace('#', '#'), { qos: 0 }, resolve));
    },
    async flush() {
      const stream = (client as unknown as { stream: { writableNeedDrain: boolean; once: (e: string, f: () => void) => void } }).stream;
      if (stream.writableNeedDrain) await new Promise<void>((resolve) => stream.once('drain', resolve));
    },
  };
}

async function nats(): Promise<Transport> {
  const nc = await natsConnect({ servers: url });
  const buf = new Uint8Array(PAYLOAD);
  const dv = new DataView(buf.buffer);
  let sent = 0;
  return {
    publish(topic, at) {
      dv.setFloat64(0, at, true);
      nc.publish(topic, buf);
      sent++;
    },
    async subscribe(topic, onMessage) {
      nc.subscribe(topic.replace('#', '>'), { callback: (_e, m) => onMessage(stampOf(m.data, 0)) });
      await nc.flush();
    },
    async flush() {
      if (sent % 4096 === 0) await nc.flush();
    },
    async request(n) {
      let next = 0;
      const worker = async () => {
        while (next < n) {
          next++;
          await nc.request('rr.ask', buf, { timeout: 10_000 });
        }
      };
      await Promise.all(Array.from({ length: 64 }, worker));
    },
    async respond() {
      nc.subscribe('rr.ask', { callback: (_e, m) => m.respond(buf) });
      await nc.flush();
    },
  };
}

const transport = await (system === 'aedes' ? aedes() : system === 'nats' ? nats() : messaging());
let received = 0;
let target = Number.POSITIVE_INFINITY;
let latencies: number[] | null = null;
const now = () => performance.timeOrigin + performance.now();

process.on('message', async (cmd: { op: string; n?: number; rate?: number; seconds?: number }) => {
  switch (cmd.op) {
    case 'subscribe':
      await transport.subscribe('bench.data.#', (stamp) => {
        received++;
        if (latencies) latencies.push(now() - stamp);
        if (received >= target) {
          target = Number.POSITIVE_INFINITY;
          send({ op: 'received', n: received });
        }
      });
      send({ op: 'ready' });
      return;
    case 'expect':
      received = 0;
      target = cmd.n ?? 0;
      latencies = null;
      send({ op: 'expecting' });
      return;
    case 'latency':
      received = 0;
      target = cmd.n ?? 0;
      latencies = [];
      send({ op: 'expecting' });
      return;
    case 'latencies':
      send({ op: 'latencies', values: latencies ?? [] });
      return;
    case 'burst': {
      const n = cmd.n ?? 0;
      for (let i = 0; i < n; i++) {
        transport.publish('bench.data.x', now());
        if ((i & 1023) === 1023) {
          await transport.flush();
          await new Promise((r) => setImmediate(r)); // every system gets the event loop to write
        }
      }
      await transport.flush();
      send({ op: 'sent' });
      return;
    }
    case 'rate': {
      const total = Math.floor((cmd.rate ?? 1000) * (cmd.seconds ?? 1));
      const start = now();
      let i = 0;
      while (i < total) {
        const due = Math.floor(((now() - start) / 1000) * (cmd.rate ?? 1000));
        for (; i < Math.min(due, total); i++) transport.publish('bench.data.x', now());
        await transport.flush();
        await new Promise((r) => setImmediate(r));
      }
      send({ op: 'sent' });
      return;
    }
    case 'respond':
      await transport.respond?.();
      send({ op: 'ready' });
      return;
    case 'requests':
      await transport.request?.(cmd.n ?? 0);
      send({ op: 'done' });
      return;
    case 'exit':
      process.exit(0);
  }
});
send({ op: 'started', role });
