import test from 'ava';
import { ErrorCode } from '../ts/index.js';
import { PersistentMessageQueue } from '../ts/persistence/index.js';
import { POSTGRES_REQUIRED, TEST_DATABASE_URL, failure, message } from './helpers/persistence-engines.js';
import { registerMigrationSuite } from './helpers/persistence-migrations-suite.js';
import { registerQueueSuite } from './helpers/persistence-queue-suite.js';

registerQueueSuite('postgresql');
registerMigrationSuite('postgresql');

test('postgresql: a pool opened by url honours its options and an unreachable server is DATABASE_ERROR', async (t) => {
  const opened = await PersistentMessageQueue.open({ url: TEST_DATABASE_URL, pool: { min: 2, max: 4 } }, { schema: `pq_url_${process.pid}` });
  if (opened.isErr()) {
    if (POSTGRES_REQUIRED) t.fail(opened.error.message);
    else t.log(`Postgres unreachable: ${opened.error.message}`);
  } else {
    const q = opened.value;
    (await q.enqueue(message('url', 1))).unwrap();
    t.is((await q.dequeueBatch(1)).unwrap().length, 1);
    await q.database.exec(`DROP SCHEMA "pq_url_${process.pid}" CASCADE`);
    (await q.close()).unwrap();
  }
  const started = Date.now();
  const down = await PersistentMessageQueue.open({ url: 'postgres://postgres@127.0.0.1:1/test', pool: { connectTimeoutMs: 1000 } });
  t.is(failure(down)?.code, ErrorCode.DATABASE_ERROR);
  t.true(Date.now() - started < 5000);
});
