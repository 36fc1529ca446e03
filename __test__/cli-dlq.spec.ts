import { randomBytes } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { MessageBuilder } from '../ts/index.js';
import { PersistentMessageQueue } from '../ts/persistence/index.js';
import { POSTGRES_REQUIRED, TEST_DATABASE_URL, runCli, tempDir } from './helpers/cli-process.js';

// Postgres in a schema of this file (PGlite goes through the same commands; see cli-migrate)
const tmp = tempDir();
const cwd = tmp.dir;
const schema = `cli_dlq_${randomBytes(4).toString('hex')}`;
const set = ['--url', TEST_DATABASE_URL, '--schema', schema];
let unreachable: string | null = null;

const open = () => PersistentMessageQueue.open({ url: TEST_DATABASE_URL, pool: { min: 1, max: 2 } }, { schema });

test.before(async () => {
  const opened = await open();
  if (opened.isErr()) {
    unreachable = opened.error.message;
    return;
  }
  const queue = opened.value;
  for (const [topic, n] of [['orders.created', 1], ['orders.created', 2], ['users.deleted', 3]] as const) {
    (await queue.enqueue(new MessageBuilder().topic(topic).addBody('n', n).build().unwrap())).unwrap();
  }
  const claimed = (await queue.dequeueBatch(10)).unwrap();
  (await queue.markFailed(claimed.map((e) => e.id), 'handler exploded', { deadLetter: true })).unwrap();
  (await queue.close()).unwrap();
});

test.after.always(async () => {
  tmp.remove();
  const opened = await open();
  if (opened.isOk()) {
    await opened.value.database.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await opened.value.close();
  }
});

/** True when the test cannot run: a failure with CI=true, else a logged pass. */
function noPostgres(t: ExecutionContext): boolean {
  if (unreachable === null) return false;
  if (POSTGRES_REQUIRED) t.fail(`Postgres unreachable: ${unreachable}`);
  else t.pass(`Postgres unreachable: ${unreachable}`);
  return true;
}

interface Letter {
  id: number;
  topic: string;
  lastError: string;
  message: { body: [string, { t: string; v: unknown }][] };
}

test.serial('dlq list prints the dead letters as a table and as JSON', async (t) => {
  if (noPostgres(t)) return;
  const text = await runCli(['dlq', 'list', ...set], { cwd });
  t.is(text.code, 0, text.stderr);
  const lines = text.stdout.trimEnd().split('\n');
  t.regex(lines[0] ?? '', /^id +topic +attempts +failed at +last error {2}body$/);
  t.is(lines.length, 4);
  t.regex(text.stdout, /^\d+ +users\.deleted +1 +\d{4}-\S+ +handler exploded {2}\{"n":3\}$/m);
  const json = await runCli(['dlq', 'list', '--json', '--topic', 'orders.created', ...set], { cwd });
  const letters = JSON.parse(json.stdout) as Letter[];
  t.deepEqual(letters.map((l) => l.topic), ['orders.created', 'orders.created']);
  t.is(letters[0]?.lastError, 'handler exploded');
  t.deepEqual(letters[1]?.message.body, [['n', { t: 'i32', v: 2 }]]);
});

test.serial('dlq replay moves one dead letter back; purge --all empties the rest', async (t) => {
  if (noPostgres(t)) return;
  const letters = JSON.parse((await runCli(['dlq', 'list', '--json', ...set], { cwd })).stdout) as Letter[];
  const first = letters[0] as Letter;
  const replay = await runCli(['dlq', 'replay', String(first.id), '--json', ...set], { cwd });
  t.is(replay.code, 0, replay.stderr);
  t.is((JSON.parse(replay.stdout) as { replayed: number[] }).replayed.length, 1);
  const left = JSON.parse((await runCli(['dlq', 'list', '--json', ...set], { cwd })).stdout) as Letter[];
  t.deepEqual(left.map((l) => l.id), letters.slice(1).map((l) => l.id));

  const noIds = await runCli(['dlq', 'purge', ...set], { cwd });
  t.is(noIds.code, 2);
  t.is(noIds.stderr, 'messaging: dlq purge needs dead letter ids or --all\n');
  const unknown = await runCli(['dlq', 'replay', '999999', ...set], { cwd });
  t.is(unknown.code, 1);
  t.regex(unknown.stderr, /^messaging: 1 of the 1 ids given are not dead letters/);

  const purge = await runCli(['dlq', 'purge', '--all', ...set], { cwd });
  t.is(purge.code, 0, purge.stderr);
  t.is(purge.stdout, 'purged 2 dead letter(s)\n');
  const empty = await runCli(['dlq', 'list', ...set], { cwd });
  t.is(empty.stdout, 'no dead letters\n');

  const queue = (await open()).unwrap();
  const back = (await queue.dequeueBatch(10)).unwrap();
  t.deepEqual(back.map((e) => e.message.body.get('n')), [first.message.body[0]?.[1].v]);
  (await queue.close()).unwrap();
});
