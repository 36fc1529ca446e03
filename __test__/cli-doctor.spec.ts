import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import { freePort, runCli, tempDir } from './helpers/cli-process.js';

const tmp = tempDir();
const cwd = tmp.dir;
test.after.always(() => tmp.remove());

test('doctor passes every check on a good setup', async (t) => {
  const set = ['--set', `network.server.port=${await freePort()}`, '--set', `monitoring.port=${await freePort()}`, '--set', 'database.data_dir=./fresh'];
  const r = await runCli(['doctor', ...set], { cwd });
  t.is(r.code, 0, r.stdout + r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  t.deepEqual(
    lines.map((l) => l.slice(0, l.indexOf(':'))),
    ['✔ native core', '✔ configuration', '✔ database', '✔ broker port', '✔ metrics port'],
  );
  t.regex(r.stdout, /^✔ database: PGlite in \.\/fresh \(schema messaging\): not created yet; serve creates it$/m);
  const json = await runCli(['doctor', '--json', ...set], { cwd });
  t.like(JSON.parse(json.stdout), { ok: true });
});

test('doctor reports each broken part with a fix and exits 1', async (t) => {
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  t.teardown(() => squatter.close());
  const address = squatter.address();
  const taken = typeof address === 'object' && address ? address.port : 0;
  const r = await runCli(
    ['doctor', '--set', `network.server.port=${taken}`, '--set', `monitoring.port=${await freePort()}`, '--url', 'postgres://postgres@127.0.0.1:1/test'],
    { cwd },
  );
  t.is(r.code, 1);
  t.regex(r.stdout, /^✘ database: cannot (open|reach) Postgres postgres:\/\/postgres@127\.0\.0\.1:1\/test/m);
  t.regex(r.stdout, /^ {4}fix: start Postgres at postgres:\/\/postgres@127\.0\.0\.1:1\/test, or correct database\.url/m);
  t.regex(r.stdout, new RegExp(`^✘ broker port: 127\\.0\\.0\\.1:${taken} is used by another program\\n {4}fix: stop that program, or choose another port: --set network\\.server\\.port=<port>$`, 'm'));
  t.regex(r.stdout, /^✔ native core/m);
  t.regex(r.stdout, /^✔ metrics port/m);
});

test('doctor with an invalid configuration shows its errors and skips the rest', async (t) => {
  const file = join(cwd, 'broken.yaml');
  writeFileSync(file, 'network:\n  server:\n    port: 0\n');
  const r = await runCli(['doctor', '--config', file], { cwd });
  t.is(r.code, 1);
  t.regex(r.stdout, /^✘ configuration: invalid configuration in .*broken\.yaml \(1 error\):\n {4}network\.server\.port: expected an integer 1-65535, got 0 \(line 3\)$/m);
  t.regex(r.stdout, /fix: correct the keys above \(messaging config validate .*broken\.yaml lists every error\)/);
  t.regex(r.stdout, /database and port checks skipped/);
});
