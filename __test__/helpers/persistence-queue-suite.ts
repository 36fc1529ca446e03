/**
 * The durable-queue suite shared by both engines: each spec file registers it for one engine, so
 * Postgres and PGlite pass the very same tests.
 */
import { ErrorCode, type Message, MessageBuilder, MessagingError, err, ok } from '../../ts/index.js';
import { PersistentMessageQueue } from '../../ts/persistence/index.js';
import { type EngineName, type EngineTestBody, bodyN, engineTest, failure, message, prepareEngine, sleep } from './persistence-engines.js';

/** Registers every queue test for `engine`. */
export function registerQueueSuite(engine: EngineName): void {
  prepareEngine(engine);
  const test = (title: string, body: EngineTestBody) => engineTest(engine, title, body);

  test('enqueue, dequeue and complete keep the message intact', async (t, { open }) => {
    const q = await open();
    const original = new MessageBuilder()
      .topic('orders.created')
      .traceId('4bf92f3577b34da6a3ce929d0e0e4736')
      .addHeader('tenant', 'acme')
      .addBody('n', 7)
      .addBody('name', 'widget')
      .priority(7)
      .build()
      .unwrap();
    const id = (await q.enqueue(original)).unwrap();
    t.true(id > 0);
    const [entry, ...rest] = (await q.dequeueBatch(10)).unwrap();
    t.is(rest.length, 0);
    t.truthy(entry);
    t.is(entry?.id, id);
    t.is(entry?.attempts, 1);
    t.is(entry?.priority, 7);
    t.is(entry?.message.id, original.id);
    t.is(entry?.message.topic, 'orders.created');
    t.is(entry?.message.header.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    t.is(entry?.message.header.headers.get('tenant'), 'acme');
    t.is(bodyN(entry!.message), 7);
    t.is(entry?.message.body.get('name'), 'widget');
    t.deepEqual((await q.dequeueBatch(10)).unwrap(), [], 'a leased message is not handed out twice');
    t.is((await q.markCompleted([id, id])).unwrap(), 1, 'an id given twice is one message settled');
    t.deepEqual((await q.counts()).unwrap(), { pending: 0, processing: 0, completed: 0, failed: 0, dead: 0 }, 'acknowledged means deleted');
  });

  test('keepCompleted keeps acknowledged messages until they are purged', async (t, { open }) => {
    const q = await open({ keepCompleted: true });
    (await q.enqueueBatch([message('k', 1), message('k', 2)])).unwrap();
    const claimed = (await q.dequeueBatch(2)).unwrap();
    t.is((await q.markCompleted(claimed.map((e) => e.id))).unwrap(), 2);
    t.deepEqual((await q.counts()).unwrap(), { pending: 0, processing: 0, completed: 2, failed: 0, dead: 0 });
    const twice = await q.markCompleted([claimed[0]!.id]);
    t.is(failure(twice)?.code, ErrorCode.INVALID_STATE, 'completing twice');
    t.deepEqual(failure(twice)?.details?.notHeldIds, [claimed[0]!.id]);
    t.like(failure(twice)?.details, { marked: 0, unknownIds: [] });
    t.is((await q.purgeCompleted(60_000)).unwrap(), 0, 'not old enough');
    t.is((await q.purgeCompleted()).unwrap(), 2);
    t.is((await q.counts()).unwrap().completed, 0);
  });

  test('concurrent single enqueues share statements and each gets its own id', async (t, { open }) => {
    const q = await open({ maxMessageBytes: 2048 });
    const big = new MessageBuilder().topic('big').addBody('blob', 'x'.repeat(5000)).build().unwrap();
    const calls = Array.from({ length: 300 }, (_, i) => q.enqueue(i === 150 ? big : message('many', i)));
    const results = await Promise.all(calls);
    t.is(failure(results[150]!)?.code, ErrorCode.INVALID_ARGUMENT, 'only the message over the limit fails');
    const ids = results.filter((r) => r.isOk()).map((r) => r.unwrap());
    t.is(ids.length, 299);
    t.is(new Set(ids).size, 299);
    const stored = (await q.dequeueBatch(1000)).unwrap();
    t.is(stored.length, 299);
    t.deepEqual(stored.map((e) => e.id).toSorted((a, b) => a - b), ids.toSorted((a, b) => a - b));
    const byId = new Map(stored.map((e) => [e.id, bodyN(e.message)]));
    t.true(results.every((r, i) => i === 150 || byId.get(r.unwrap()) === i), 'each caller got the id of its own message');
  });

  test('dequeue claims by priority, then age, within the limit', async (t, { open }) => {
    const q = await open();
    const ids = (await q.enqueueBatch([message('a', 0, 1), message('a', 1, 9), message('a', 2, 5), message('a', 3, 9), message('a', 4, 1)])).unwrap();
    t.is(ids.length, 5);
    t.deepEqual(ids.toSorted((a, b) => a - b), ids, 'ids follow input order');
    const first = (await q.dequeueBatch(3)).unwrap();
    t.deepEqual(first.map((e) => bodyN(e.message)), [1, 3, 2]);
    const second = (await q.dequeueBatch(3)).unwrap();
    t.deepEqual(second.map((e) => bodyN(e.message)), [0, 4]);
    t.deepEqual((await q.dequeueBatch(0)).unwrap(), []);
  });

  test('concurrent dequeues never claim the same message', async (t, { open }) => {
    const q = await open();
    const other = await open({ schema: q.options.schema });
    const msgs = Array.from({ length: 300 }, (_, i) => message('load', i));
    (await q.enqueueBatch(msgs)).unwrap();
    const batches = await Promise.all([q.dequeueBatch(50), other.dequeueBatch(50), q.dequeueBatch(50), other.dequeueBatch(50)]);
    const seen = batches.flatMap((b) => b.unwrap().map((e) => e.id));
    t.is(seen.length, 200);
    t.is(new Set(seen).size, 200);
  });

  test('an expired lease is swept back and delivered again; the old holder cannot settle it', async (t, { open }) => {
    const q = await open({ sweepIntervalMs: 60_000 });
    const other = await open({ schema: q.options.schema, sweepIntervalMs: 60_000 });
    const [id] = (await q.enqueueBatch([message('lease', 1)])).unwrap();
    const claimed = (await q.dequeueBatch(1, { leaseMs: 800 })).unwrap();
    t.is(claimed[0]?.id, id);
    t.deepEqual((await other.sweepExpiredLeases()).unwrap(), { requeued: 0, dead: 0 }, 'nothing expired yet');
    await sleep(1000);
    t.deepEqual((await other.sweepExpiredLeases()).unwrap(), { requeued: 1, dead: 0 });
    const again = (await other.dequeueBatch(1, { leaseMs: 10_000 })).unwrap();
    t.is(again[0]?.id, id);
    t.is(again[0]?.attempts, 2);
    const late = await q.markCompleted([id!]);
    t.true(late.isErr());
    t.is(failure(late)?.code, ErrorCode.INVALID_STATE);
    t.deepEqual(failure(late)?.details?.notHeldIds, [id]);
    t.is((await other.markCompleted([id!])).unwrap(), 1);
  });

  test('the sweeper re-delivers a dead consumer\'s messages within about a lease', async (t, { open }) => {
    const q = await open({ sweepIntervalMs: 100 });
    (await q.enqueueBatch([message('lease', 1), message('lease', 2)])).unwrap();
    const held = (await q.dequeueBatch(2, { leaseMs: 200 })).unwrap();
    t.is(held.length, 2);
    const started = Date.now();
    let back: number[] = [];
    while (back.length < 2 && Date.now() - started < 5000) {
      await sleep(50);
      back = back.concat((await q.dequeueBatch(2, { leaseMs: 5000 })).unwrap().map((e) => e.id));
    }
    t.deepEqual(back.toSorted(), held.map((e) => e.id).toSorted());
    t.true(Date.now() - started < 4000, `re-delivered after ${Date.now() - started} ms`);
  });

  test('extendLease keeps a message from being swept', async (t, { open }) => {
    const q = await open({ sweepIntervalMs: 60_000 });
    const [id] = (await q.enqueueBatch([message('lease', 1)])).unwrap();
    (await q.dequeueBatch(1, { leaseMs: 600 })).unwrap();
    t.is((await q.extendLease([id!], 10_000)).unwrap(), 1);
    await sleep(800);
    t.deepEqual((await q.sweepExpiredLeases()).unwrap(), { requeued: 0, dead: 0 });
    const unknown = await q.extendLease([id! + 1000], 1000);
    t.is(failure(unknown)?.code, ErrorCode.NOT_FOUND);
  });

  test('failures retry after the backoff, then become dead letters that can be replayed and purged', async (t, { open }) => {
    const q = await open({ backoffMs: [600, 600], jitter: 0, maxAttempts: 3 });
    const [id] = (await q.enqueueBatch([message('pay', 42)])).unwrap();
    for (let attempt = 1; attempt <= 2; attempt++) {
      const [entry] = (await q.dequeueBatch(1)).unwrap();
      t.is(entry?.attempts, attempt);
      t.deepEqual((await q.markFailed([id!], new Error(`boom ${attempt}`))).unwrap(), { retrying: [id!], deadLettered: [] });
      t.deepEqual((await q.dequeueBatch(1)).unwrap(), [], 'not visible during the backoff');
      t.is((await q.counts()).unwrap().failed, 1);
      await sleep(700);
    }
    const [last] = (await q.dequeueBatch(1)).unwrap();
    t.is(last?.attempts, 3);
    t.deepEqual((await q.markFailed([id!], 'boom 3')).unwrap(), { retrying: [], deadLettered: [id!] });
    t.deepEqual((await q.counts()).unwrap(), { pending: 0, processing: 0, completed: 0, failed: 0, dead: 1 });
    const dead = (await q.deadLetters.list()).unwrap();
    t.is(dead.length, 1);
    t.is(dead[0]?.originalId, id);
    t.is(dead[0]?.attempts, 3);
    t.is(dead[0]?.lastError, 'boom 3');
    t.is(bodyN(dead[0]!.message), 42);
    const replayed = (await q.deadLetters.replay([dead[0]!.id])).unwrap();
    t.is(replayed.length, 1);
    const [again] = (await q.dequeueBatch(1)).unwrap();
    t.is(again?.attempts, 1, 'a replayed message starts with fresh attempts');
    t.is((await q.markFailed([again!.id], 'fatal', { deadLetter: true })).unwrap().deadLettered.length, 1);
    t.is((await q.deadLetters.list({ topic: 'other' })).unwrap().length, 0);
    t.is((await q.deadLetters.purge({ topic: 'pay' })).unwrap(), 1);
    t.is((await q.deadLetters.list()).unwrap().length, 0);
  });

  test('the retry policy defaults to 3 deliveries and can change live', async (t, { open }) => {
    const q = await open({ jitter: 0 });
    (await q.enqueue(message('p', 1))).unwrap();
    const [first] = (await q.dequeueBatch(1)).unwrap();
    t.is(first?.maxAttempts, 3);
    t.deepEqual(q.options.backoffMs, [100, 500, 2000]);
    t.is(failure(q.setRetryPolicy({ maxAttempts: 0 }))?.code, ErrorCode.INVALID_ARGUMENT);
    t.is(failure(q.setRetryPolicy({ backoffMs: [] }))?.code, ErrorCode.INVALID_ARGUMENT);
    q.setRetryPolicy({ maxAttempts: 1, backoffMs: [5] }).unwrap();
    t.deepEqual(q.options.backoffMs, [5]);
    (await q.enqueue(message('p', 2))).unwrap();
    const [second] = (await q.dequeueBatch(1)).unwrap();
    t.is(second?.maxAttempts, 1);
    t.deepEqual((await q.markFailed([second!.id], 'once is enough')).unwrap(), { retrying: [], deadLettered: [second!.id] });
  });

  test('reprocessFailed makes backed-off messages due now and can grant more attempts', async (t, { open }) => {
    const q = await open({ backoffMs: [60_000], jitter: 0, maxAttempts: 2 });
    (await q.enqueueBatch([message('r', 1), message('r', 2)])).unwrap();
    const claimed = (await q.dequeueBatch(2)).unwrap();
    (await q.markFailed(claimed.map((e) => e.id), 'later')).unwrap();
    t.deepEqual((await q.dequeueBatch(2)).unwrap(), []);
    t.is((await q.reprocessFailed({ maxRetries: 5 })).unwrap(), 2);
    const again = (await q.dequeueBatch(2)).unwrap();
    t.is(again.length, 2);
    t.true(again.every((e) => e.attempts === 2 && e.maxAttempts === 6));
  });

  test('delayed messages wait for their time', async (t, { open }) => {
    const q = await open();
    (await q.enqueue(message('d', 1), { delayMs: 1000 })).unwrap();
    t.deepEqual((await q.dequeueBatch(1)).unwrap(), []);
    await sleep(1200);
    t.is((await q.dequeueBatch(1)).unwrap().length, 1);
  });

  test('bad input gets clear errors', async (t, { open }) => {
    const q = await open({ maxMessageBytes: 1024 });
    const big = new MessageBuilder().topic('big').addBody('blob', 'x'.repeat(5000)).build().unwrap();
    const tooBig = await q.enqueue(big);
    t.is(failure(tooBig)?.code, ErrorCode.INVALID_ARGUMENT);
    t.regex(failure(tooBig)?.message ?? '', /over the limit of 1024 bytes/);
    t.is(failure(tooBig)?.details?.limit, 1024);
    const batch = await q.enqueueBatch([message('ok', 1), big]);
    t.is(failure(batch)?.details?.index, 1, 'the batch names the message over the limit');
    t.is((await q.counts()).unwrap().pending, 0, 'a refused batch stores nothing');

    const negative = await q.dequeueBatch(-1);
    t.is(failure(negative)?.code, ErrorCode.INVALID_ARGUMENT);
    t.regex(failure(negative)?.message ?? '', /^limit: /);
    t.is(failure(await q.dequeueBatch(1.5))?.code, ErrorCode.INVALID_ARGUMENT);
    t.is(failure(await q.dequeueBatch(1, { leaseMs: 0 }))?.code, ErrorCode.INVALID_ARGUMENT);

    const [id] = (await q.enqueueBatch([message('ok', 1)])).unwrap();
    (await q.dequeueBatch(1)).unwrap();
    const unknown = await q.markCompleted([id!, 987_654_321]);
    t.is(failure(unknown)?.code, ErrorCode.NOT_FOUND);
    t.deepEqual(failure(unknown)?.details?.unknownIds, [987_654_321]);
    t.is(failure(unknown)?.details?.marked, 1, 'the known id was still marked');
    t.is(failure(await q.markFailed([987_654_321], 'x'))?.code, ErrorCode.NOT_FOUND);
    const notAMessage = await q.enqueue({ header: { topic: 'x' }, metadata: {} } as unknown as Message);
    t.true(notAMessage.isErr(), 'something shaped like a message but not one is refused, never thrown');
    t.is(failure(await q.markCompleted([-1]))?.code, ErrorCode.INVALID_ARGUMENT);
    t.is(failure(await q.markCompleted('7' as unknown as number[]))?.code, ErrorCode.INVALID_ARGUMENT);
    t.is(failure(await q.markCompleted([id!]))?.code, ErrorCode.NOT_FOUND, 'completing twice: the row is gone');
    t.is(failure(await q.deadLetters.list({ limit: -5 }))?.code, ErrorCode.INVALID_ARGUMENT);
    t.is(failure(await q.topicLog.readFrom('t', -1, 10))?.code, ErrorCode.INVALID_ARGUMENT);
    t.is(failure(await PersistentMessageQueue.open({ dataDir: undefined }, { schema: 'Bad-Name' }))?.code, ErrorCode.INVALID_ARGUMENT);
    t.is(failure(await PersistentMessageQueue.open({ dataDir: undefined }, { jitter: 3 }))?.code, ErrorCode.INVALID_ARGUMENT);

    await q.close();
    t.is(failure(await q.enqueue(message('ok', 1)))?.code, ErrorCode.QUEUE_CLOSED);
  });

  test('transactions commit on Ok and roll back on Err or a throw', async (t, { open }) => {
    const q = await open();
    const committed = await q.transaction(async (tx) => {
      const a = await q.enqueue(message('tx', 1), { tx });
      if (a.isErr()) return a;
      return q.enqueueBatch([message('tx', 2), message('tx', 3)], { tx });
  });
    t.true(committed.isOk());
    const rolledBack = await q.transaction(async (tx) => {
      (await q.enqueue(message('tx', 4), { tx })).unwrap();
      return err(new MessagingError('INVALID_STATE', 'changed my mind'));
  });
    t.is(failure(rolledBack)?.message, 'changed my mind');
    const thrown = await q.transaction(async (tx) => {
      (await q.enqueue(message('tx', 5), { tx })).unwrap();
      throw new Error('crash');
  });
    t.regex(failure(thrown)?.message ?? '', /crash/);
    const nested = await q.transaction(async (tx) => {
      (await q.enqueue(message('tx', 6), { tx })).unwrap();
      const inner = await tx.transaction(async (innerTx) => {
        (await q.enqueue(message('tx', 7), { tx: innerTx })).unwrap();
        return err(new MessagingError('CANCELLED', 'inner only'));
      });
      t.true(inner.isErr());
      return ok('outer');
  });
    t.is(nested.unwrap(), 'outer');
    const all = (await q.dequeueBatch(100)).unwrap().map((e) => bodyN(e.message));
    t.deepEqual(all.toSorted(), [1, 2, 3, 6]);
  });

  test('offsets commit in the same transaction as the work they acknowledge', async (t, { open }) => {
    const q = await open();
    const positions = (await q.topicLog.append([message('log.a', 0), message('log.b', 0), message('log.a', 1), message('log.a', 2)])).unwrap();
    t.deepEqual(positions, [
      { topic: 'log.a', offset: 0 },
      { topic: 'log.b', offset: 0 },
      { topic: 'log.a', offset: 1 },
      { topic: 'log.a', offset: 2 },
    ]);
    t.deepEqual((await q.topicLog.append([message('log.b', 1)])).unwrap(), [{ topic: 'log.b', offset: 1 }]);
    t.is((await q.topicLog.committedOffset('g1', 'log.a')).unwrap(), 0);
    const read = (await q.topicLog.readFrom('log.a', 1, 10)).unwrap();
    t.deepEqual(read.map((e) => [e.offset, bodyN(e.message)]), [[1, 1], [2, 2]]);
    const failedWork = await q.transaction(async (tx) => {
      (await q.topicLog.commitOffset('g1', 'log.a', 3, { tx })).unwrap();
      return err(new MessagingError('JOB_FAILED', 'work failed'));
  });
    t.true(failedWork.isErr());
    t.is((await q.topicLog.committedOffset('g1', 'log.a')).unwrap(), 0, 'rolled back with the work');
    (await q.transaction(async (tx) => q.topicLog.commitOffset('g1', 'log.a', 3, { tx }))).unwrap();
    t.is((await q.topicLog.committedOffset('g1', 'log.a')).unwrap(), 3);
    t.is((await q.topicLog.committedOffset('g2', 'log.a')).unwrap(), 0);
    t.deepEqual((await q.topicLog.readFrom('log.a', 3, 10)).unwrap(), []);

    const logged = await open({ topicLog: true });
    (await logged.enqueueBatch([message('both', 1), message('both', 2)])).unwrap();
    (await logged.enqueue(message('both', 3))).unwrap();
    t.deepEqual((await logged.topicLog.readFrom('both', 0, 10)).unwrap().map((e) => e.offset), [0, 1, 2]);
    t.is((await logged.dequeueBatch(10)).unwrap().length, 3);
  });

  test('a waiting consumer wakes on enqueue without waiting for the poll', async (t, { open }) => {
    const q = await open({ pollIntervalMs: 30_000 });
    const producer = await open({ schema: q.options.schema });
    const got: number[] = [];
    let woke = 0;
    const consumer = q.consume((entries) => {
      got.push(...entries.map((e) => bodyN(e.message)));
      woke = Date.now();
    }).unwrap();
    await sleep(200);
    const sent = Date.now();
    (await producer.enqueueBatch([message('wake', 1), message('wake', 2)])).unwrap();
    while (got.length < 2 && Date.now() - sent < 10_000) await sleep(10);
    t.deepEqual(got.toSorted(), [1, 2]);
    t.true(woke - sent < 2000, `woke after ${woke - sent} ms`);
    (await consumer.stop()).unwrap();
    t.is(consumer.stats.completed, 2);
    t.deepEqual((await q.counts()).unwrap(), { pending: 0, processing: 0, completed: 0, failed: 0, dead: 0 });
  });

  test('consume completes on Ok and retries on Err or a throw', async (t, { open }) => {
    const q = await open({ backoffMs: [20], jitter: 0, pollIntervalMs: 20, keepCompleted: true });
    (await q.enqueueBatch([message('c', 1), message('c', 2), message('c', 3)])).unwrap();
    const attempts = new Map<number, number>();
    const consumer = q
      .consume(
        async (entries) => {
          for (const e of entries) attempts.set(bodyN(e.message), e.attempts);
          const n = bodyN(entries[0]!.message);
          if (n === 2 && entries[0]!.attempts === 1) return err(new MessagingError('JOB_FAILED', 'try again'));
          if (n === 3 && entries[0]!.attempts === 1) throw new Error('exploded');
          return ok();
        },
        { batchSize: 1 },
      )
      .unwrap();
    const started = Date.now();
    while ((await q.counts()).unwrap().completed < 3 && Date.now() - started < 10_000) await sleep(20);
    (await consumer.stop()).unwrap();
    t.deepEqual(Object.fromEntries(attempts), { 1: 1, 2: 2, 3: 2 });
    t.is(consumer.stats.failed, 2);
    t.is(consumer.stats.completed, 3);
  });
}
