/**
 * Fault: a consumer process is killed with SIGKILL in the middle of a batch. With a 1 s lease,
 * another consumer completes every message; none is lost and the duplicates are counted.
 */
import test from 'ava';
import { PersistentMessageQueue } from '../ts/persistence/index.js';
import { spawnChild, type Child } from './helpers/persistence-children.js';
import { POSTGRES_REQUIRED, TEST_DATABASE_URL, message, randomSchema, sleep } from './helpers/persistence-engines.js';

const TOTAL = 3000;
const BATCH = 100;

test('postgresql: a consumer killed mid-batch loses nothing; its batch is delivered again after the lease', async (t) => {
  const schema = randomSchema('pkill');
  const opened = await PersistentMessageQueue.open({ url: TEST_DATABASE_URL, pool: { min: 1, max: 4 } }, { schema, keepCompleted: true });
  if (opened.isErr()) {
    if (POSTGRES_REQUIRED) t.fail(opened.error.message);
    else t.pass(`Postgres unreachable: ${opened.error.message}`);
    return;
  }
  const q = opened.value;
  const children: Child[] = [];
  try {
    const msgs = Array.from({ length: TOTAL }, (_, i) => message('work.item', i));
    for (let i = 0; i < TOTAL; i += 1000) (await q.enqueueBatch(msgs.slice(i, i + 1000))).unwrap();
    const env = { KILL_TEST_URL: TEST_DATABASE_URL, KILL_TEST_SCHEMA: schema, KILL_TEST_BATCH: String(BATCH), KILL_TEST_WORK_MS: '40', KILL_TEST_LEASE_MS: '1000' };
    const victim = spawnChild('./persistence-kill-consumer.ts', env);
    children.push(victim);
    // the victim holds a batch right after printing its second claim, before completing it
    const claimCount = () => victim.lines.filter((l) => 'claimed' in l).length;
    await victim.waitFor((line) => 'claimed' in line && victim.lines.at(-1) === line && claimCount() >= 2, 20_000);
    victim.process.kill('SIGKILL');
    t.is(await victim.exited, 'SIGKILL');
    const held = victim.lines.filter((l) => 'claimed' in l).length - victim.lines.filter((l) => 'completed' in l).length;
    t.true(held >= 1, 'killed while holding a batch');
    const killedAt = Date.now();

    const survivor = spawnChild('./persistence-kill-consumer.ts', env);
    children.push(survivor);
    let counts = (await q.counts()).unwrap();
    while (counts.completed < TOTAL && Date.now() - killedAt < 30_000) {
      await sleep(100);
      counts = (await q.counts()).unwrap();
    }
    t.deepEqual(counts, { pending: 0, processing: 0, completed: TOTAL, failed: 0, dead: 0 }, 'every message completed, none lost');

    const deliveries = new Map<number, number>();
    for (const child of children) {
      for (const line of child.lines) {
        for (const n of (line.claimed as number[] | undefined) ?? []) deliveries.set(n, (deliveries.get(n) ?? 0) + 1);
      }
    }
    t.is(deliveries.size, TOTAL, 'every message was delivered');
    const total = [...deliveries.values()].reduce((a, b) => a + b, 0);
    const duplicates = total - TOTAL;
    const redelivered = (await q.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".messages WHERE attempts > 1`)).unwrap()[0]?.n;
    t.log(`killed mid-batch: ${TOTAL} messages, ${total} deliveries, ${duplicates} duplicates (the killed batch), ${redelivered} rows delivered twice; all completed ${Date.now() - killedAt} ms after the kill`);
    t.true(duplicates >= 1 && duplicates <= BATCH, `duplicates ${duplicates} come only from the killed batch`);
    t.is(redelivered, duplicates);
  } finally {
    for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await q.database.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await q.close();
  }
});
