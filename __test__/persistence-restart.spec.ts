/**
 * Fault: Postgres restarts (stopped like a crash, then started) while producers and consumers
 * run. Enqueues during the outage return DATABASE_ERROR, never a false ok; the pool reconnects;
 * afterwards every acknowledged message is stored and gets completed. The server is a private
 * one on its own port and directory, so the shared server of the other tests is never touched.
 */
import test from 'ava';
import { ErrorCode } from '../ts/index.js';
import { PersistentMessageQueue } from '../ts/persistence/index.js';
import { POSTGRES_REQUIRED, bodyN, message, sleep } from './helpers/persistence-engines.js';
import { type PrivatePostgres, startPrivatePostgres } from './helpers/persistence-private-postgres.js';

test('postgresql: a restart of Postgres loses no acknowledged message and enqueue never answers a false ok', async (t) => {
  let server: PrivatePostgres;
  try {
    server = await startPrivatePostgres();
  } catch (e) {
    const why = `cannot start a private Postgres: ${(e as Error).message}`;
    if (POSTGRES_REQUIRED) t.fail(why);
    else t.pass(why);
    return;
  }
  let q: PersistentMessageQueue | undefined;
  try {
    q = (
      await PersistentMessageQueue.open(
        { url: server.url, pool: { min: 2, max: 10, connectTimeoutMs: 1000 } },
        { schema: 'restart', leaseMs: 1000, sweepIntervalMs: 200, pollIntervalMs: 100, keepCompleted: true },
      )
    ).unwrap();
    const queue = q;
    const acked = new Map<number, string>(); // n -> message id
    const errors: { phase: string; code: number; message: string }[] = [];
    let phase = 'before';
    const state = { producing: true };
    let n = 0;
    const producer = async () => {
      while (state.producing) {
        const i = n++;
        const msg = message('restart.item', i);
        const r = await queue.enqueue(msg);
        if (r.isOk()) acked.set(i, msg.id);
        else {
          errors.push({ phase, code: r.error.code, message: r.error.message });
          await sleep(50);
        }
        await sleep(2);
      }
    };
    const consumed = new Set<number>();
    const consumers = [1, 2].map(() =>
      queue
        .consume((entries) => {
          for (const e of entries) consumed.add(bodyN(e.message));
        }, { batchSize: 50, leaseMs: 1000 })
        .unwrap(),
    );
    const producers = [producer(), producer(), producer()];

    await sleep(800);
    const before = acked.size;
    phase = 'outage';
    await server.stop('immediate');
    await sleep(1500);
    const duringOutage = errors.filter((e) => e.phase === 'outage').length;
    phase = 'restarting';
    await server.start();
    phase = 'after';
    const restartedAt = Date.now();
    const ackedAtRestart = acked.size;
    while (acked.size < ackedAtRestart + 100 && Date.now() - restartedAt < 20_000) await sleep(50);
    state.producing = false;
    await Promise.all(producers);
    const afterRestart = acked.size - ackedAtRestart;

    // every acknowledged message is stored
    const stored = await (async () => {
      for (;;) {
        const rows = await queue.database.query<{ message_id: string }>('SELECT message_id FROM restart.messages');
        if (rows.isOk()) return new Set(rows.value.map((r) => r.message_id));
        await sleep(100);
      }
    })();
    const missing = [...acked].filter(([, id]) => !stored.has(id)).map(([i]) => i);

    // and every one gets completed once the consumers catch up
    const drainStart = Date.now();
    let counts = (await queue.counts()).unwrap();
    while ((counts.pending > 0 || counts.processing > 0 || counts.failed > 0) && Date.now() - drainStart < 20_000) {
      await sleep(100);
      const next = await queue.counts();
      if (next.isOk()) counts = next.value;
    }
    for (const c of consumers) await c.stop();
    const notConsumed = [...acked.keys()].filter((i) => !consumed.has(i));

    const codes = [...new Set(errors.map((e) => e.code))];
    t.log(
      `before: ${before} acked; outage: ${duringOutage} enqueue errors (${[...new Set(errors.map((e) => e.message.replace(/\d+/g, 'N')))].slice(0, 3).join(' | ')}); ` +
        `after restart: ${afterRestart} acked within ${Date.now() - restartedAt} ms; total acked ${acked.size}, stored ${stored.size}, missing ${missing.length}, not consumed ${notConsumed.length}`,
    );
    t.true(before > 0, 'producers ran before the outage');
    t.true(duringOutage > 0, 'enqueue failed during the outage');
    t.deepEqual(codes, [ErrorCode.DATABASE_ERROR], 'every failure is DATABASE_ERROR');
    t.true(afterRestart >= 100, 'the pool reconnected and enqueue works again');
    t.deepEqual(missing, [], 'every acknowledged message is stored');
    t.deepEqual(notConsumed, [], 'every acknowledged message was consumed');
    t.is(counts.pending + counts.processing + counts.failed + counts.dead, 0);
  } finally {
    await q?.close();
    await server.destroy();
  }
});
