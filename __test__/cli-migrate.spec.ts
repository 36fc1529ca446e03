import test from 'ava';
import { POSTGRES_REQUIRED, TEST_DATABASE_URL, runCli, scratch } from './helpers/cli-process.js';

const { cwd, schema } = scratch('cli_migrate');

interface Status {
  schema: string;
  migrations: { version: number; applied: boolean }[];
}

function applied(stdout: string): boolean[] {
  return (JSON.parse(stdout) as Status).migrations.map((m) => m.applied);
}

test('migrate up, status and down on PGlite in a data directory', async (t) => {
  const set = ['--set', 'database.data_dir=./pgdata'];
  const before = await runCli(['migrate', 'status', ...set], { cwd });
  t.is(before.code, 1);
  t.is(before.stderr, 'messaging: no PGlite database in ./pgdata (run messaging migrate up or messaging serve first, or set database.data_dir)\n');
  const up = await runCli(['migrate', 'up', ...set], { cwd });
  t.is(up.code, 0, up.stderr);
  t.regex(up.stdout, /^applied 1, 2; schema messaging is at version 2\n$/);
  const again = await runCli(['migrate', 'up', ...set], { cwd });
  t.is(again.stdout, 'nothing to apply; schema messaging is at version 2\n');
  const status = await runCli(['migrate', 'status', '--json', ...set], { cwd });
  t.deepEqual(applied(status.stdout), [true, true]);
  const down = await runCli(['migrate', 'down', ...set], { cwd });
  t.is(down.stdout, 'reverted 2; schema messaging is at version 1\n');
  const text = await runCli(['migrate', 'status', ...set], { cwd });
  t.regex(text.stdout, /^1 +queue-tables +applied \d{4}-/m);
  t.regex(text.stdout, /^2 +topic-log +pending$/m);
});

test('migrate up, status and down on Postgres in its own schema', async (t) => {
  const db = ['--url', TEST_DATABASE_URL, '--schema', schema];
  const up = await runCli(['migrate', 'up', '--to', '1', ...db], { cwd });
  if (up.code === 3 && !POSTGRES_REQUIRED) {
    t.log(`Postgres unreachable: ${up.stderr}`);
    t.pass();
    return;
  }
  t.is(up.code, 0, up.stderr);
  t.is(up.stdout, `applied 1; schema ${schema} is at version 1\n`);
  t.deepEqual(applied((await runCli(['migrate', 'status', '--json', ...db], { cwd })).stdout), [true, false]);
  const rest = await runCli(['migrate', 'up', '--json', ...db], { cwd });
  t.like(JSON.parse(rest.stdout), { action: 'up', versions: [2], current: 2 });
  const down = await runCli(['migrate', 'down', '--to', '0', ...db], { cwd });
  t.is(down.code, 0, down.stderr);
  t.is(down.stdout, `reverted 2, 1; schema ${schema} is at version 0\n`);
  t.deepEqual(applied((await runCli(['migrate', 'status', '--json', ...db], { cwd })).stdout), [false, false]);
});

test('migrate: an unreachable Postgres exits 3, a bad action or flag 2', async (t) => {
  const down = await runCli(['migrate', 'status', '--url', 'postgres://postgres@127.0.0.1:1/test'], { cwd });
  t.is(down.code, 3);
  t.regex(down.stderr, /^messaging: cannot (open|reach) Postgres postgres:\/\/postgres@127\.0\.0\.1:1\/test \(schema messaging\): /);
  t.is(down.stderr.trim().split('\n').length, 1);
  const sideways = await runCli(['migrate', 'sideways'], { cwd });
  t.is(sideways.code, 2);
  t.is(sideways.stderr, 'messaging: unknown migrate action "sideways" (expected up, down or status)\n');
  const steps = await runCli(['migrate', 'up', '--steps', '1'], { cwd });
  t.is(steps.code, 2);
});
