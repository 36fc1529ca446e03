/**
 * A consumer process for the kill test: claims batches from the queue named by its environment,
 * prints one JSON line per claim (the message numbers it now holds) and per completion, works
 * for a while on each batch, and exits after being idle. Killed with SIGKILL mid-batch, it leaves
 * its claimed messages leased to no living process.
 */
import { PersistentMessageQueue } from '../../ts/persistence/index.js';
import { bodyN, sleep } from './persistence-messages.js';

const url = process.env.KILL_TEST_URL ?? '';
const schema = process.env.KILL_TEST_SCHEMA ?? '';
const batch = Number(process.env.KILL_TEST_BATCH ?? 100);
const workMs = Number(process.env.KILL_TEST_WORK_MS ?? 30);
const leaseMs = Number(process.env.KILL_TEST_LEASE_MS ?? 1000);

const opened = await PersistentMessageQueue.open({ url, pool: { min: 1, max: 3 } }, { schema, migrate: false, sweepIntervalMs: 200, keepCompleted: true });
if (opened.isErr()) {
  process.stdout.write(`${JSON.stringify({ error: opened.error.message })}\n`);
  process.exit(2);
}
const q = opened.value;
let idleSince = Date.now();
while (Date.now() - idleSince < 2000) {
  const got = await q.dequeueBatch(batch, { leaseMs });
  if (got.isErr()) {
    process.stdout.write(`${JSON.stringify({ error: got.error.message })}\n`);
    await sleep(100);
    continue;
  }
  if (got.value.length === 0) {
    await sleep(50);
    continue;
  }
  idleSince = Date.now();
  process.stdout.write(`${JSON.stringify({ claimed: got.value.map((e) => bodyN(e.message)) })}\n`);
  await sleep(workMs);
  const done = await q.markCompleted(got.value.map((e) => e.id));
  process.stdout.write(`${JSON.stringify(done.isOk() ? { completed: done.value } : { error: done.error.message })}\n`);
  idleSince = Date.now();
}
await q.close();
process.stdout.write(`${JSON.stringify({ exit: 'idle' })}\n`);
