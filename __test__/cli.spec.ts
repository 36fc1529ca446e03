import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { freePort, runCli, tempDir } from './helpers/cli-process.js';

const tmp = tempDir();
test.after.always(() => tmp.remove());
const cwd = tmp.dir;

test('messaging --version prints the package and native versions', async (t) => {
  const r = await runCli(['--version'], { cwd });
  t.is(r.code, 0);
  t.regex(r.stdout, /^messaging-system \d+\.\d+\.\d+ \(native core \d+\.\d+\.\d+\)\n$/);
});

test('messaging --help lists every command and the exit codes', async (t) => {
  const r = await runCli(['--help'], { cwd });
  t.is(r.code, 0);
  t.regex(r.stdout, /Usage: messaging <command>/);
  for (const name of ['serve', 'publish', 'subscribe', 'request', 'migrate', 'dlq', 'config', 'doctor', 'bench']) {
    t.regex(r.stdout, new RegExp(`^  ${name} `, 'm'));
  }
  t.regex(r.stdout, /Exit codes: 0 success, 1 failure, 2 usage or configuration error, 3 broker or database unreachable/);
});

test('every command has --help with its usage and exit codes', async (t) => {
  const names = ['serve', 'publish', 'subscribe', 'request', 'migrate', 'dlq', 'config', 'doctor', 'bench', 'version'];
  const results = await Promise.all(names.map((name) => runCli([name, '--help'], { cwd })));
  results.forEach((r, i) => {
    t.is(r.code, 0, names[i]);
    t.regex(r.stdout, new RegExp(`^Usage: messaging ${names[i]}`), names[i]);
    t.is(r.stderr, '', names[i]);
  });
});

test('an unknown command or option is a one-line usage error with exit code 2', async (t) => {
  const command = await runCli(['frobnicate'], { cwd });
  t.is(command.code, 2);
  t.is(command.stderr, 'messaging: unknown command "frobnicate" (see messaging --help)\n');
  const option = await runCli(['publish', '--nope', 'a.b'], { cwd });
  t.is(option.code, 2);
  t.regex(option.stderr, /^messaging: Unknown option '--nope'/);
  t.is(option.stderr.trim().split('\n').length, 1);
  const missing = await runCli(['publish'], { cwd });
  t.is(missing.code, 2);
  t.is(missing.stderr, 'messaging: publish needs a topic: messaging publish <topic> [json]\n');
});

test('config validate lists every error with its key path and line, exit 2', async (t) => {
  const file = join(cwd, 'bad.yaml');
  writeFileSync(file, 'network:\n  server:\n    port: "80a"\n    prot: 3\nlogging:\n  level: loud\n');
  const r = await runCli(['config', 'validate', file], { cwd });
  t.is(r.code, 2);
  t.is(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  t.is(lines[0], `messaging: invalid configuration in ${file} (3 errors):`);
  t.deepEqual(lines.slice(1), [
    '  network.server.port: expected an integer 1-65535, got "80a" (line 3)',
    '  network.server.prot: unknown key, did you mean "port"? (line 4)',
    '  logging.level: expected one of trace, debug, info, warn, error, fatal, silent, got "loud" (line 6)',
  ]);
  const json = await runCli(['config', 'validate', file, '--json'], { cwd });
  t.is(json.code, 2);
  const report = JSON.parse(json.stdout) as { valid: boolean; errors: string[] };
  t.false(report.valid);
  t.is(report.errors.length, 4);
});

test('config validate accepts a good file, and --set and env values are validated like the file', async (t) => {
  const file = join(cwd, 'good.yaml');
  writeFileSync(file, 'network:\n  server:\n    port: 9100\n');
  const good = await runCli(['config', 'validate', file], { cwd });
  t.is(good.code, 0);
  t.is(good.stdout, `${file}: valid\n`);
  const defaults = await runCli(['config', 'validate'], { cwd });
  t.is(defaults.stdout, 'built-in defaults: valid\n');
  const set = await runCli(['config', 'validate', file, '--set', 'network.server.port=99999', '--set', 'nope'], { cwd });
  t.is(set.code, 2);
  t.regex(set.stderr, /network\.server\.port: expected an integer 1-65535, got 99999 \(from --set network\.server\.port=99999\)/);
  t.regex(set.stderr, /expected key=value/);
  const env = await runCli(['config', 'validate', file], { cwd, env: { MESSAGING_LOGGING__LEVEL: 'loud' } });
  t.is(env.code, 2);
  t.regex(env.stderr, /logging\.level: .*MESSAGING_LOGGING__LEVEL/);
});

test('config print shows each value with its source; --json prints the file shape', async (t) => {
  const file = join(cwd, 'print.yaml');
  writeFileSync(file, 'network:\n  server:\n    port: 9100\ndatabase:\n  url: postgres://app:secret@db:5432/app\n');
  const r = await runCli(['config', 'print', '--config', file, '--set', 'monitoring.port=9999'], { cwd, env: { MESSAGING_LOGGING__LEVEL: 'debug' } });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, new RegExp(`^network\\.server\\.port = 9100 +# file ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3$`, 'm'));
  t.regex(r.stdout, /^monitoring\.port = 9999 +# set --set monitoring\.port=9999$/m);
  t.regex(r.stdout, /^logging\.level = "debug" +# env MESSAGING_LOGGING__LEVEL$/m);
  t.regex(r.stdout, /^network\.server\.host = "127\.0\.0\.1" +# default$/m);
  t.regex(r.stdout, /^database\.type = "postgresql"/m);
  t.notRegex(r.stdout, /secret/);
  const json = await runCli(['config', 'print', '--config', file, '--json'], { cwd });
  t.is(json.code, 0);
  const config = JSON.parse(json.stdout) as { network: { server: { port: number } }; database: { url: string } };
  t.is(config.network.server.port, 9100);
  t.is(config.database.url, 'postgres://app:***@db:5432/app');
});

test('client commands: a bad body is a usage error, a broker that is not there exits 3', async (t) => {
  const port = await freePort();
  const url = `tcp://127.0.0.1:${port}`;
  const badJson = await runCli(['publish', 'a.b', '{nope', '--url', url], { cwd });
  t.is(badJson.code, 2);
  t.regex(badJson.stderr, /^messaging: the body is not valid JSON/);
  const notObject = await runCli(['publish', 'a.b', '[1]', '--url', url], { cwd });
  t.is(notObject.code, 2);
  t.regex(notObject.stderr, /the body must be a JSON object/);
  const badTopic = await runCli(['publish', 'a.#', '{}', '--url', url], { cwd });
  t.is(badTopic.code, 2);
  t.regex(badTopic.stderr, /^messaging: invalid message: topic/);
  const badType = await runCli(['publish', 'a.b', '{"x":1}', '--type', 'x=float', '--url', url], { cwd });
  t.is(badType.code, 2);
  t.regex(badType.stderr, /--type x=float: unknown type/);
  const unreachable = await runCli(['publish', 'a.b', '{}', '--url', url], { cwd });
  t.is(unreachable.code, 3);
  t.regex(unreachable.stderr, new RegExp(`^messaging: cannot connect to ${url}: .*\\(is "messaging serve" running\\?\\)\\n$`));
  const subscribe = await runCli(['subscribe', 'a.#', '--url', url], { cwd });
  t.is(subscribe.code, 3);
  const request = await runCli(['request', 'a.b', '--url', url], { cwd });
  t.is(request.code, 3);
  const badUrl = await runCli(['publish', 'a.b', '--url', 'http://x'], { cwd });
  t.is(badUrl.code, 2);
  t.regex(badUrl.stderr, /^messaging: --url: broker URL must look like tcp:\/\/host:port/);
});
