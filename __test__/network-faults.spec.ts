import test from 'ava';
import { ErrorCode, FrameKind, MessagingClient, MessagingServer, encode, frame } from '../ts/index.js';
import { connectFrame, controlFrames, msg, rawSocket, startServer, until } from './helpers/network.js';

async function stillServes(t: import('ava').ExecutionContext, server: MessagingServer): Promise<void> {
  const c = (await MessagingClient.connect(server.url, { retryAttempts: 0 })).unwrap();
  const got: number[] = [];
  (await c.subscribe('health.check', (m) => void got.push(m.body.get('n') as number))).unwrap();
  (await c.publish(msg('health.check', 7), { ack: true })).unwrap();
  await until(() => got.length === 1, 3000, 'a well-behaved client to be served');
  t.deepEqual(got, [7]);
  await c.close();
}

async function expectErrorAndClose(port: number, bytes: Buffer, code: number) {
  const raw = await rawSocket(port);
  raw.socket.write(bytes);
  await until(raw.closed, 3000, 'the server to close the connection');
  const frames = controlFrames(raw.received());
  const error = frames.find((f) => f.kind === FrameKind.ERROR);
  return { error, code, frames };
}

test('garbage bytes get an ERROR frame and a closed connection; others are still served', async (t) => {
  const server = await startServer();
  const r = await expectErrorAndClose(server.address.port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), ErrorCode.PROTOCOL_ERROR);
  t.is(r.error?.json?.name, 'PROTOCOL_ERROR');
  const afterConnect = await expectErrorAndClose(server.address.port, Buffer.concat([connectFrame(), Buffer.alloc(64, 0xff)]), ErrorCode.PROTOCOL_ERROR);
  t.is(afterConnect.error?.json?.name, 'PROTOCOL_ERROR');
  t.true(server.stats().protocolErrors >= 2);
  await stillServes(t, server);
  await server.stop();
});

test('a frame over the size limit, an unknown kind, a bad CONNECT and a wrong version are refused', async (t) => {
  const server = await startServer({ maxFrameBytes: 1024 });
  const port = server.address.port;
  const big = frame(FrameKind.PUBLISH, encode(msg('x', 1)).unwrap());
  const oversize = Buffer.concat([connectFrame(), Buffer.from(frame(FrameKind.PUBLISH, new Uint8Array(2048)))]);
  t.is((await expectErrorAndClose(port, oversize, 0)).error?.json?.name, 'PROTOCOL_ERROR');
  t.is((await expectErrorAndClose(port, Buffer.concat([connectFrame(), Buffer.from(frame(77, new Uint8Array(1)))]), 0)).error?.json?.name, 'PROTOCOL_ERROR');
  t.is((await expectErrorAndClose(port, Buffer.from(frame(FrameKind.CONNECT, Buffer.from('{not json'))), 0)).error?.json?.name, 'PROTOCOL_ERROR');
  const v2 = await expectErrorAndClose(port, Buffer.from(frame(FrameKind.CONNECT, Buffer.from('{"protocol":2}'))), 0);
  t.regex(String(v2.error?.json?.message), /protocol version 2/);
  t.is((await expectErrorAndClose(port, Buffer.from(big), 0)).error?.json?.message, 'expected CONNECT first, got frame kind 3');
  await stillServes(t, server);
  await server.stop();
});

test('a truncated frame followed by close leaves nothing behind', async (t) => {
  const server = await startServer();
  const raw = await rawSocket(server.address.port);
  const whole = Buffer.from(frame(FrameKind.PUBLISH, encode(msg('half', 1)).unwrap()));
  raw.socket.write(Buffer.concat([connectFrame(), whole.subarray(0, 20)]));
  await new Promise((r) => setTimeout(r, 50));
  raw.socket.end();
  await until(() => server.stats().connections === 0);
  t.is(server.stats().published, 0);
  await stillServes(t, server);
  await server.stop();
});

test('a flood of subscriptions past the limit closes that connection', async (t) => {
  const server = await startServer({ maxSubscriptionsPerConnection: 20 });
  const errors: string[] = [];
  const c = (await MessagingClient.connect(server.url, { retryAttempts: 0, onError: (e) => errors.push(e.codeName) })).unwrap();
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => c.subscribe(`flood.${i}`, () => undefined)));
  t.true(results.filter((r) => r.isOk()).length <= 20);
  t.true(results.some((r) => r.isErr()));
  await until(() => !c.connected);
  t.true(errors.includes('PROTOCOL_ERROR') || errors.includes('CONNECTION_CLOSED'));
  await c.close();
  await stillServes(t, server);
  await server.stop();
});

async function floodUntil(pub: MessagingClient, check: () => boolean, topic: string): Promise<number> {
  const pad = 'x'.repeat(8192);
  let sent = 0;
  for (; sent < 20_000 && !check(); sent++) {
    const m = msg(topic, sent);
    m.body.pushRaw('pad', 5, pad);
    await pub.publish(m);
    if (sent % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  return sent;
}

test('a client that never reads is disconnected as a slow consumer and memory stays bounded', async (t) => {
  const server = await startServer({ outboundLimitBytes: 256 * 1024, slowConsumerPolicy: 'disconnect' });
  const raw = await rawSocket(server.address.port);
  raw.socket.pause(); // never reads
  raw.socket.write(Buffer.concat([connectFrame(), Buffer.from(frame(FrameKind.SUBSCRIBE, Buffer.from(JSON.stringify({ id: 1, pattern: 'flood.#' }))))]));
  await until(() => server.stats().connections === 1);
  const pub = (await MessagingClient.connect(server.url)).unwrap();
  const before = process.memoryUsage().rss;
  const sent = await floodUntil(pub, () => server.stats().slowConsumers >= 1, 'flood.data');
  t.true(sent < 20_000, `the policy applied after ${sent} messages`);
  await until(() => server.stats().connections === 1, 5000, 'the slow consumer to be disconnected');
  t.true(server.stats().dropped >= 1);
  t.true(process.memoryUsage().rss - before < 200 * 1024 * 1024);
  raw.socket.destroy();
  await stillServes(t, server);
  await pub.close();
  await server.stop();
});

test('with the drop policy a slow consumer loses messages but keeps its connection', async (t) => {
  const server = await startServer({ outboundLimitBytes: 64 * 1024, slowConsumerPolicy: 'drop' });
  const raw = await rawSocket(server.address.port);
  raw.socket.pause();
  raw.socket.write(Buffer.concat([connectFrame(), Buffer.from(frame(FrameKind.SUBSCRIBE, Buffer.from(JSON.stringify({ id: 1, pattern: 'd.#' }))))]));
  await until(() => server.stats().connections === 1);
  const pub = (await MessagingClient.connect(server.url)).unwrap();
  const sent = await floodUntil(pub, () => server.stats().dropped > 10, 'd.x');
  t.true(sent < 20_000, `drops began after ${sent} messages`);
  t.is(server.stats().connections, 2);
  t.is(server.stats().slowConsumers, 1);
  raw.socket.destroy();
  await pub.close();
  await server.stop();
});

test('past max_connections a new connection is refused with a clear error', async (t) => {
  const server = await startServer({ maxConnections: 2 });
  const a = (await MessagingClient.connect(server.url)).unwrap();
  const b = (await MessagingClient.connect(server.url)).unwrap();
  const c = await MessagingClient.connect(server.url, { retryAttempts: 0 });
  t.true(c.isErr());
  if (c.isErr()) t.regex(c.error.message, /maximum of 2 connections/);
  t.is(server.stats().refused, 1);
  await a.close();
  await until(() => server.stats().connections === 1);
  const d = await MessagingClient.connect(server.url);
  t.true(d.isOk());
  if (d.isOk()) await d.value.close();
  await b.close();
  await server.stop();
});

test('a silent connection is closed after the idle timeout; heartbeats keep a client alive', async (t) => {
  const server = await startServer({ idleTimeoutMs: 200, heartbeatMs: 50 });
  const raw = await rawSocket(server.address.port);
  raw.socket.write(connectFrame());
  const alive = (await MessagingClient.connect(server.url)).unwrap();
  await until(raw.closed, 3000, 'the idle connection to close');
  t.is(controlFrames(raw.received()).find((f) => f.kind === FrameKind.ERROR)?.json?.name, 'TIMEOUT');
  await new Promise((r) => setTimeout(r, 400));
  t.true(alive.connected);
  await alive.close();
  await server.stop();
});

test('random byte streams from many connections never stop the broker', async (t) => {
  const server = await startServer({ maxFrameBytes: 4096 });
  const port = server.address.port;
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const deadline = Date.now() + 1500;
  let sockets = 0;
  while (Date.now() < deadline) {
    const batch = await Promise.all(Array.from({ length: 20 }, () => rawSocket(port)));
    sockets += batch.length;
    for (const raw of batch) {
      const len = rand() % 300;
      const bytes = Buffer.alloc(len);
      for (let i = 0; i < len; i++) bytes[i] = rand() & 0xff;
      raw.socket.write(rand() % 2 ? Buffer.concat([connectFrame(), bytes]) : bytes);
    }
    await new Promise((r) => setTimeout(r, 20));
    for (const raw of batch) raw.socket.destroy();
  }
  t.true(sockets >= 40);
  await stillServes(t, server);
  await until(() => server.stats().connections === 0);
  await server.stop();
});

test('the client reconnects, re-subscribes and sends what queued while it was offline', async (t) => {
  const first = await startServer();
  const port = first.address.port;
  const errors: string[] = [];
  const c = (await MessagingClient.connect(first.url, { reconnect: { initialMs: 20, maxMs: 200 }, retryAttempts: 50, onError: (e) => errors.push(e.codeName) })).unwrap();
  const got: number[] = [];
  (await c.subscribe('re.*', (m) => void got.push(m.body.get('n') as number))).unwrap();
  await first.stop({ drainMs: 100 });
  await until(() => !c.connected);
  t.true((await c.publish(msg('re.x', 1))).isOk()); // queued while offline
  const second = await startServer({ port });
  await until(() => c.connected, 5000, 'the reconnect');
  (await c.publish(msg('re.x', 2), { ack: true })).unwrap();
  await until(() => got.length === 2, 3000, 'both messages');
  t.deepEqual(got, [1, 2]);
  t.true(errors.includes('CONNECTION_CLOSED'));
  await c.close();
  await second.stop();
});

test('with no offline queue, a publish while disconnected fails fast', async (t) => {
  const server = await startServer();
  const c = (await MessagingClient.connect(server.url, { offlineQueueLimit: 0, retryAttempts: 1, reconnect: { initialMs: 10, maxMs: 10 } })).unwrap();
  await server.stop({ drainMs: 50 });
  await until(() => !c.connected);
  const r = await c.publish(msg('x'));
  t.true(r.isErr() && r.error.code === ErrorCode.CONNECTION_CLOSED);
  await c.close();
});
