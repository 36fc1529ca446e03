import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { runCli, tempDir } from './helpers/cli-process.js';

// The runner writes benchmark/results/: run it in a copy of the tree, never in the repository.
const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = tempDir('messaging-bench-');
const copy = tmp.dir;
for (const part of ['ts', 'benchmark', 'package.json', 'tsconfig.json']) cpSync(join(root, part), join(copy, part), { recursive: true });
symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
const script = join(copy, 'ts', 'cli', 'main.ts');
test.after.always(() => tmp.remove());

test('bench runs the smoke suite as a child process and prints its table', async (t) => {
  const r = await runCli(['bench', 'smoke', '--quick', '--rounds', '1'], { cwd: copy, script, timeoutMs: 90_000 });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^## smoke$/m);
  t.regex(r.stdout, /^\| comparison \| contender \| median ops\/s \|/m);
  t.regex(r.stdout, /native crc32c \(N-API\)/);
  t.regex(r.stderr, /^\[1\] smoke: crc32c of \d+ bytes$/m, 'one progress line per comparison');
  t.regex(r.stderr, /^wrote benchmark\/results\/latest\.json$/m);
  t.true(existsSync(join(copy, 'benchmark', 'results', 'smoke.svg')));
  t.regex(readFileSync(join(copy, 'benchmark', 'results', 'latest.json'), 'utf8'), /"suite": "smoke"/);
});

test('bench with an unknown suite is a usage error naming the known ones', async (t) => {
  const r = await runCli(['bench', 'nope', '--quick'], { cwd: copy, script });
  t.is(r.code, 2);
  t.regex(r.stderr, /^messaging: unknown suite\(s\): nope; known: smoke, /);
  t.is(r.stderr.trim().split('\n').length, 1);
});
