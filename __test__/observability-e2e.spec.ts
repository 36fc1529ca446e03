/**
 * One trace id followed end to end over real loopback sockets and an in-memory PGlite queue:
 * client → broker (debug route lines) → broker in-process subscriber → durable queue row →
 * consumer (its log lines after dequeue) → a message published from inside the handler (same
 * trace, new span) and the reply → the requesting client. Every log line of the path, read back
 * from each logger's own file, carries the trace id. It never reads outside its temp dir.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { MessageBuilder, MessagingClient, MessagingServer, type Message } from '../ts/index.js';
import { PersistentMessageQueue } from '../ts/persistence/persistent-message-queue.js';
import { createLogger, type PinoLogger } from '../ts/observability/logger.js';
import { createMetrics } from '../ts/observability/metrics.js';
import { TraceContext } from '../ts/observability/trace-context.js';
import { isSpanId, newTraceId } from '../ts/observability/trace-id.js';
import { until } from './helpers/network.js';

interface Line {
  msg: string;
  traceId?: string;
  spanId?: string;
  messageId?: string;
  topic?: string;
  [key: string]: unknown;
}

async function fileLogger(dir: string, name: string, level: 'debug' | 'info' = 'debug'): Promise<{ logger: PinoLogger; lines: () => Promise<Line[]> }> {
  const path = join(dir, `${name}.log`);
  const logger = (await createLogger({ console: false, file: { path }, level, async: false, name })).unwrap();
  return {
    logger,
    lines: async () => {
      (await logger.flush()).unwrap();
      return readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Line);
    },
  };
}

test('one trace id crosses client, broker, durable queue, consumer, a child message and the reply', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'messaging-trace-e2e-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const broker = await fileLogger(dir, 'broker');
  const worker = await fileLogger(dir, 'worker');
  const requester = await fileLogger(dir, 'requester');
  const metrics = createMetrics({ defaultMetrics: false }).unwrap();

  const server = new MessagingServer({ port: 0, logger: broker.logger, metrics });
  (await server.start()).unwrap();
  const queue = (await PersistentMessageQueue.open({}, { schema: 'trace_e2e', logger: worker.logger, pollIntervalMs: 50, keepCompleted: true })).unwrap();
  const client = (await MessagingClient.connect(server.url, { logger: requester.logger, name: 'requester' })).unwrap();
  const workerClient = (await MessagingClient.connect(server.url, { logger: worker.logger, name: 'worker' })).unwrap();

  // The broker's in-process subscriber stores every order request durably, in its trace context.
  const enqueued: Promise<unknown>[] = [];
  server
    .subscribe('orders.place', (message) => {
      broker.logger.info({ stage: 'enqueue' }, 'storing the request');
      enqueued.push(queue.enqueue(message));
    })
    .unwrap();

  // Whoever listens to the audit topic: a message published from inside the consumer's handler.
  const audits: Message[] = [];
  (await client.subscribe('audit.order', (m) => void audits.push(m))).unwrap();

  // The consumer: logs, publishes an audit event and answers the request.
  const handlerSpans: string[] = [];
  queue
    .consume(async (entries) => {
      for (const { message } of entries) {
        worker.logger.info({ stage: 'handle' }, 'handling the order');
        handlerSpans.push(TraceContext.current()?.spanId ?? '');
        const audit = new MessageBuilder().topic('audit.order').addBody('order', message.body.get('order') as number).build().unwrap();
        (await workerClient.publish(audit)).unwrap();
        const reply = new MessageBuilder().topic('ignored').addBody('status', 'accepted').build().unwrap();
        (await workerClient.reply(message, reply)).unwrap();
        worker.logger.info({ stage: 'replied' }, 'answered the request');
      }
    }, { batchSize: 1 })
    .unwrap();

  const traceId = newTraceId();
  const request = new MessageBuilder().topic('orders.place').traceId(traceId).addBody('order', 7).build().unwrap();
  const answer = await TraceContext.run({ traceId }, async () => {
    requester.logger.info({ stage: 'request' }, 'sending the order');
    return client.request(request, { timeoutMs: 5000 });
  });

  // The requesting client gets the reply, with the trace id.
  const reply = answer.unwrap();
  t.is(reply.header.traceId, traceId);
  t.is(reply.body.get('status'), 'accepted');

  // The message published from inside the handler: same trace id, handled in a new span.
  await until(() => audits.length === 1, 3000, 'the audit message');
  t.is(audits[0]?.header.traceId, traceId);
  t.is(audits[0]?.body.get('order'), 7);

  // The durable queue row carries the trace id.
  await Promise.all(enqueued);
  const rows = (await queue.database.query<{ trace_id: string | null }>('SELECT trace_id FROM trace_e2e.messages')).unwrap();
  const dead = (await queue.database.query<{ n: number }>('SELECT count(*)::int AS n FROM trace_e2e.dead_letters')).unwrap();
  t.is(dead[0]?.n, 0);
  // keepCompleted leaves the acknowledged row in place: it stored the trace id.
  t.deepEqual(rows.map((r) => r.trace_id), [traceId]);

  // Every log line of the path carries the trace id.
  const brokerLines = (await broker.lines()).filter((l) => l.topic === 'orders.place' || l.stage !== undefined);
  t.true(brokerLines.some((l) => l.msg === 'message routed'), 'the broker logs routing at debug level');
  t.true(brokerLines.some((l) => l.stage === 'enqueue'), 'the in-process subscriber logged');
  for (const line of brokerLines) t.is(line.traceId, traceId, `broker: ${JSON.stringify(line)}`);
  const workerLines = (await worker.lines()).filter((l) => l.stage !== undefined || l.msg === 'batch completed');
  t.deepEqual(
    workerLines.map((l) => l.stage ?? l.msg),
    ['handle', 'replied', 'batch completed'],
  );
  for (const line of workerLines) {
    t.is(line.traceId, traceId, `worker: ${JSON.stringify(line)}`);
    t.is(line.messageId, request.id);
    t.is(line.topic, 'orders.place');
  }
  const requesterLines = (await requester.lines()).filter((l) => l.stage !== undefined);
  t.is(requesterLines.length, 1);
  for (const line of requesterLines) t.is(line.traceId, traceId);
  t.true(isSpanId(handlerSpans[0]));
  t.not(handlerSpans[0], requesterLines[0]?.spanId, 'the consumer handles the message in a new span');

  // The broker counted the path.
  const text = await metrics.registry.metrics();
  t.regex(text, /messaging_messages_published_total\{class="orders"\} 1/);
  t.regex(text, /messaging_connections_open 2/);

  await Promise.all([client.close(), workerClient.close()]);
  (await queue.close()).unwrap();
  (await server.stop()).unwrap();
  await Promise.all([broker.logger.close(), worker.logger.close(), requester.logger.close()]);
});

test('a message published on the in-process bus without a trace id gets one, and a message published by its handler inherits it', async (t) => {
  const { MessageBus } = await import('../ts/bus/message-bus.js');
  const dir = mkdtempSync(join(tmpdir(), 'messaging-trace-bus-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const log = await fileLogger(dir, 'bus', 'info');
  const metrics = createMetrics({ defaultMetrics: false }).unwrap();
  const bus = MessageBus.create({ logger: log.logger, metrics }).unwrap();
  const seen: { topic: string; traceId: string | null; spanId: string | undefined }[] = [];
  bus
    .subscribe('a.first', (m) => {
      seen.push({ topic: m.topic, traceId: m.header.traceId, spanId: TraceContext.current()?.spanId });
      log.logger.info('first handler');
      return bus.publish(new MessageBuilder().topic('a.second').build().unwrap());
    })
    .unwrap();
  bus
    .subscribe('a.second', (m) => {
      seen.push({ topic: m.topic, traceId: m.header.traceId, spanId: TraceContext.current()?.spanId });
      log.logger.info('second handler');
      return undefined;
    })
    .unwrap();
  bus.start().unwrap();
  const first = new MessageBuilder().topic('a.first').build().unwrap();
  t.is(first.header.traceId, null);
  bus.publish(first).unwrap();
  t.regex(first.header.traceId ?? '', /^[0-9a-f]{32}$/);
  await until(() => seen.length === 2, 3000, 'both deliveries');
  t.is(seen[0]?.traceId, first.header.traceId);
  t.is(seen[1]?.traceId, first.header.traceId);
  t.not(seen[0]?.spanId, seen[1]?.spanId);
  const lines = await log.lines();
  t.deepEqual(lines.map((l) => [l.msg, l.traceId, l.topic]), [
    ['first handler', first.header.traceId, 'a.first'],
    ['second handler', first.header.traceId, 'a.second'],
  ]);
  (await bus.stop()).unwrap();
  const text = await metrics.registry.metrics();
  t.regex(text, /messaging_messages_delivered_total\{class="a"\} 2/);
  await log.logger.close();
});
