import { spawnSync } from 'node:child_process';
import test from 'ava';

const CLI = new URL('../ts/cli/main.ts', import.meta.url).pathname;

function run(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8' });
}

test('messaging --version prints the package and native versions', (t) => {
  const r = run('--version');
  t.is(r.status, 0);
  t.regex(r.stdout, /^messaging-system \d+\.\d+\.\d+ \(native core \d+\.\d+\.\d+\)\n$/);
});

test('messaging --help lists the usage and exit codes', (t) => {
  const r = run('--help');
  t.is(r.status, 0);
  t.regex(r.stdout, /Usage: messaging <command>/);
  t.regex(r.stdout, /Exit codes/);
});

test('an unknown command or flag is a one-line usage error with exit code 2', (t) => {
  const command = run('frobnicate');
  t.is(command.status, 2);
  t.is(command.stderr, 'messaging: unknown command "frobnicate" (see messaging --help)\n');
  const flag = run('--nope');
  t.is(flag.status, 2);
  t.regex(flag.stderr, /^messaging: Unknown option '--nope'/);
  t.is(flag.stderr.trim().split('\n').length, 1);
});

test('a command of a later version says it is not available yet, exit code 1', (t) => {
  const r = run('serve');
  t.is(r.status, 1);
  t.is(r.stderr, 'messaging: "serve" is not available in this version yet\n');
});
