import test from 'ava';
import { ErrorCode, type Message, MessageBuilder, MessagingClient, parseUrl } from '../ts/index.js';
import { msg, startServer, until } from './helpers/network.js';

test('a publish reaches every matching remote and in-process subscriber with its body intact', async (t) => {
  const server = await startServer();
  const pub = (await MessagingClient.connect(server.url)).unwrap();
  const sub1 = (await MessagingClient.connect(server.url)).unwrap();
  const sub2 = (await MessagingClient.connect(server.url)).unwrap();
  const got1: Message[] = [];
  const got2: string[] = [];
  const local: string[] = [];
  (await sub1.subscribe('user.#', (m) => void got1.push(m))).unwrap();
  (await sub2.subscribe('user.*.created', (_m, topic) => void got2.push(topic))).unwrap();
  (await sub2.subscribe('user.events.*', (_m, topic) => void got2.push(`again:${topic}`))).unwrap();
  server.subscribe('#', (_m, topic) => void local.push(topic)).unwrap();
  const m = new MessageBuilder().topic('user.events.created').traceId('4bf92f3577b34da6a3ce929d0e0e4736').addBody('user_id', 42).addBody('ratio', 0.5).build().unwrap();
  (await pub.publish(m)).unwrap();
  (await pub.publish(msg('order.created'))).unwrap();
  await until(() => got1.length === 1 && got2.length === 2 && local.length === 2, 3000, 'deliveries');
  t.is(got1[0]?.body.get('user_id'), 42);
  t.is(got1[0]?.body.get('ratio'), 0.5);
  t.is(got1[0]?.header.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  t.is(got1[0]?.id, m.id);
  t.deepEqual(got2.toSorted(), ['again:user.events.created', 'user.events.created']);
  t.deepEqual(local.toSorted(), ['order.created', 'user.events.created']);
  const stats = server.stats();
  t.is(stats.published, 2);
  t.is(stats.connections, 3);
  await Promise.all([pub.close(), sub1.close(), sub2.close()]);
  (await server.stop()).unwrap();
});

test('messages from one publisher arrive in order, and unsubscribe stops them', async (t) => {
  const server = await startServer();
  const pub = (await MessagingClient.connect(server.url)).unwrap();
  const sub = (await MessagingClient.connect(server.url)).unwrap();
  const seen: number[] = [];
  const s = (await sub.subscribe('seq', (m) => void seen.push(m.body.get('n') as number))).unwrap();
  for (let i = 0; i < 2000; i++) void pub.publish(msg('seq', i));
  await until(() => seen.length === 2000, 5000, '2000 messages');
  t.deepEqual(seen, Array.from({ length: 2000 }, (_, i) => i));
  (await sub.unsubscribe(s)).unwrap();
  (await pub.publish(msg('seq', -1), { ack: true })).unwrap();
  await new Promise((r) => setTimeout(r, 50));
  t.is(seen.length, 2000);
  const again = await sub.unsubscribe(s);
  t.true(again.isErr() && again.error.code === ErrorCode.NOT_FOUND);
  await Promise.all([pub.close(), sub.close()]);
  await server.stop();
});

test('an acknowledged publish waits for the broker; an expired message is dropped and counted', async (t) => {
  const server = await startServer();
  const c = (await MessagingClient.connect(server.url)).unwrap();
  const got: number[] = [];
  (await c.subscribe('ttl.#', (m) => void got.push(m.body.get('n') as number))).unwrap();
  (await c.publish(msg('nobody.listens'), { ack: true })).unwrap();
  const stale = new MessageBuilder().topic('ttl.x').addBody('n', 1).ttl(10).timestamp(Date.now() - 1000).build().unwrap();
  (await c.publish(stale, { ack: true })).unwrap();
  (await c.publish(msg('ttl.y', 2), { ack: true })).unwrap();
  await until(() => got.length === 1);
  t.deepEqual(got, [2]);
  t.is(server.stats().expired, 1);
  t.is(server.stats().unrouted, 1);
  await c.close();
  await server.stop();
});

test('request/reply over the broker, and TIMEOUT when nobody answers', async (t) => {
  const server = await startServer();
  const responder = (await MessagingClient.connect(server.url)).unwrap();
  const requester = (await MessagingClient.connect(server.url)).unwrap();
  (await responder.subscribe('math.double', (req) => {
    const n = req.body.get('n') as number;
    void responder.reply(req, new MessageBuilder().topic('unused').addBody('n', n * 2).build().unwrap());
  })).unwrap();
  const replies = await Promise.all(Array.from({ length: 64 }, (_, i) => requester.request(msg('math.double', i), { timeoutMs: 3000 })));
  t.deepEqual(replies.map((r) => r.unwrap().body.get('n')), Array.from({ length: 64 }, (_, i) => i * 2));
  const reply = replies[5]!.unwrap();
  t.is(reply.header.type, 'reply');
  const none = await requester.request(msg('nobody.home'), { timeoutMs: 100 });
  t.true(none.isErr() && none.error.code === ErrorCode.TIMEOUT);
  const notRequest = await responder.reply(msg('x'), msg('y'));
  t.true(notRequest.isErr() && notRequest.error.code === ErrorCode.INVALID_MESSAGE);
  await Promise.all([responder.close(), requester.close()]);
  await server.stop();
});

test('bad URLs and an unreachable broker are clear errors', async (t) => {
  for (const url of ['http://x:1', 'tcp://host', 'tcp://h:99999', 'tcp//h:1']) {
    const r = parseUrl(url);
    t.true(r.isErr() && r.error.code === ErrorCode.INVALID_ARGUMENT, url);
  }
  t.deepEqual(parseUrl('tls://[::1]:8443').unwrap(), { host: '::1', port: 8443, tls: true });
  const server = await startServer();
  const port = server.address.port;
  await server.stop();
  const r = await MessagingClient.connect(`tcp://127.0.0.1:${port}`, { retryAttempts: 0 });
  t.true(r.isErr() && r.error.code === ErrorCode.NETWORK_ERROR);
});

test('a bad subscription pattern is refused for that call only', async (t) => {
  const server = await startServer();
  const c = (await MessagingClient.connect(server.url)).unwrap();
  const bad = await c.subscribe('a'.repeat(300), () => undefined);
  t.true(bad.isErr() && bad.error.code === ErrorCode.INVALID_ARGUMENT);
  t.true((await c.subscribe('ok.*', () => undefined)).isOk());
  t.true(c.connected);
  await c.close();
  const closed = await c.publish(msg('x'));
  t.true(closed.isErr() && closed.error.code === ErrorCode.CONNECTION_CLOSED);
  await server.stop();
});

test('in-process subscribers of the broker run on the injected work executor', async (t) => {
  const { EventLoopExecutor, ServiceRegistry } = await import('../ts/index.js');
  const executor = EventLoopExecutor.create().unwrap();
  let submitted = 0;
  const counting = {
    name: 'counting',
    submit: (...args: Parameters<typeof executor.submit>) => {
      submitted++;
      return executor.submit(...args);
    },
    shutdown: (o?: { drain?: boolean; timeoutMs?: number }) => executor.shutdown(o),
  };
  const registry = new ServiceRegistry();
  registry.register('work', counting).unwrap();
  const server = await startServer({ registry });
  const got: string[] = [];
  server.subscribe('jobs.*', (_m, topic) => void got.push(topic)).unwrap();
  const c = (await MessagingClient.connect(server.url)).unwrap();
  (await c.publish(msg('jobs.a'), { ack: true })).unwrap();
  await until(() => got.length === 1);
  t.is(submitted, 1);
  t.deepEqual(got, ['jobs.a']);
  await c.close();
  await server.stop();
  await executor.shutdown();
});
