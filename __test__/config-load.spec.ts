import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { type ConfigIssue, configIssues, defaultConfig, loadConfig, loadConfigWithSources } from '../ts/config/index.js';
import { ErrorCode } from '../ts/core/index.js';

const dir = mkdtempSync(join(tmpdir(), 'messaging-config-'));
let counter = 0;

function file(text: string): string {
  const path = join(dir, `config-${++counter}.yaml`);
  writeFileSync(path, text);
  return path;
}

function issuesOf(path: string, options = {}): ConfigIssue[] {
  const result = loadConfig(path, { env: false, ...options });
  if (result.isOk()) return [];
  return configIssues(result.error);
}

test('no file gives the laptop defaults: PGlite in ./data, broker 8080, metrics on 9464', (t) => {
  const config = loadConfig(undefined, { env: false }).unwrap();
  t.is(config.database.type, 'pglite');
  t.is(config.database.data_dir, './data');
  t.is(config.network.server.port, 8080);
  t.is(config.network.server.max_connections, 10000);
  t.true(config.monitoring.enabled);
  t.is(config.monitoring.port, 9464);
  t.is(config.thread_pools.io_pool.queue_size, 10000);
  t.deepEqual(config.database.pool, { min: 5, max: 50, idle_timeout_ms: 30000, acquire_timeout_ms: 5000 });
  t.is(config.policies.backpressure.high_watermark, 0.8);
  t.is(config.policies.backpressure.low_watermark, 0.5);
  t.deepEqual(config.policies.retry.backoff_ms, [100, 500, 2000]);
  t.deepEqual(defaultConfig().unwrap(), config);
});

test('a partial file keeps its values and fills the rest with defaults', (t) => {
  const config = loadConfig(file('network:\n  server:\n    port: 9100\nlogging:\n  level: debug\n'), { env: false }).unwrap();
  t.is(config.network.server.port, 9100);
  t.is(config.network.server.host, '127.0.0.1');
  t.is(config.logging.level, 'debug');
  t.true(config.logging.async);
});

test('an empty file is the defaults', (t) => {
  t.deepEqual(loadConfig(file(''), { env: false }).unwrap(), defaultConfig().unwrap());
  t.deepEqual(loadConfig(file('# only a comment\n'), { env: false }).unwrap(), defaultConfig().unwrap());
});

test('a bad port names the file, key path, expected value, given value and line', (t) => {
  const path = file(
    ['messaging_system:', '  version: "1.0.0"', '', 'network:', '  # the broker', '  server:', '    port: 80a', ''].join('\n'),
  );
  const result = loadConfig(path, { env: false });
  t.true(result.isErr());
  if (!result.isErr()) return;
  t.is(result.error.code, ErrorCode.CONFIG_ERROR);
  t.true(result.error.message.includes(path));
  t.true(result.error.message.includes('network.server.port: expected an integer 1-65535, got "80a" (line 7)'));
  const [issue] = configIssues(result.error);
  t.like(issue, { path: 'network.server.port', line: 7, column: 5, source: 'file', file: path });
});

test('every error is listed at once, in line order', (t) => {
  const issues = issuesOf(
    file(
      [
        'network:',
        '  server:',
        '    port: 0',
        '    max_connections: many',
        '    slow_consumer_policy: block',
        'logging:',
        '  level: loud',
        'policies:',
        '  retry:',
        '    backoff_ms: [100, -5]',
      ].join('\n'),
    ),
  );
  t.deepEqual(
    issues.map((i) => i.text),
    [
      'network.server.port: expected an integer 1-65535, got 0 (line 3)',
      'network.server.max_connections: expected an integer 1-1000000, got "many" (line 4)',
      'network.server.slow_consumer_policy: expected one of drop, disconnect, got "block" (line 5)',
      'logging.level: expected one of trace, debug, info, warn, error, fatal, silent, got "loud" (line 7)',
      'policies.retry.backoff_ms[1]: expected an integer 0-86400000, got -5 (line 10)',
    ],
  );
});

test('unknown keys are errors with a did-you-mean over the sibling keys', (t) => {
  const issues = issuesOf(file('network:\n  server:\n    prot: 9000\n    max_conections: 5\ndatabse:\n  type: pglite\nlogging:\n  zzz: 1\n'));
  t.deepEqual(
    issues.map((i) => i.text),
    [
      'network.server.prot: unknown key, did you mean "port"? (line 3)',
      'network.server.max_conections: unknown key, did you mean "max_connections"? (line 4)',
      'databse: unknown key, did you mean "database"? (line 5)',
      'logging.zzz: unknown key, expected one of level, async, console, file, redact (line 8)',
    ],
  );
});

test('malformed YAML is one clear error with line and column', (t) => {
  const path = file('network:\n  server:\n    port: [8080\n  client: {}\n');
  const result = loadConfig(path, { env: false });
  t.true(result.isErr());
  if (!result.isErr()) return;
  const issues = configIssues(result.error);
  t.true(issues.length >= 1);
  t.true(issues[0]?.text.startsWith('malformed YAML: '));
  t.regex(issues[0]?.text ?? '', /\(line \d+, column \d+\)$/);
  t.true(result.error.message.includes(path));
});

test('a duplicate key is malformed YAML', (t) => {
  const issues = issuesOf(file('logging:\n  level: info\n  level: debug\n'));
  t.is(issues.length, 1);
  t.regex(issues[0]?.text ?? '', /malformed YAML: .*unique.*\(line 3, column 3\)/i);
});

test('a file that is not a mapping is rejected', (t) => {
  const issues = issuesOf(file('- a\n- b\n'));
  t.is(issues.length, 1);
  t.regex(issues[0]?.text ?? '', /expected a mapping at the top/);
});

test('a missing file is CONFIG_ERROR naming the file', (t) => {
  const path = join(dir, 'missing.yaml');
  const result = loadConfig(path, { env: false });
  t.true(result.isErr() && result.error.code === ErrorCode.CONFIG_ERROR);
  t.true(result.isErr() && result.error.message.includes(`${path}: cannot read the configuration file: no such file`));
});

test('a database url without a type selects postgresql; postgresql without a url is an error', (t) => {
  const loaded = loadConfigWithSources(file('database:\n  url: postgres://u:p@127.0.0.1:5432/test\n'), { env: false }).unwrap();
  t.is(loaded.config.database.type, 'postgresql');
  t.like(loaded.entries.find((e) => e.path === 'database.type'), { source: 'file', line: 2 });
  t.deepEqual(
    issuesOf(file('database:\n  type: postgresql\n')).map((i) => i.text),
    ['database.url: expected a postgres:// URL because database.type is postgresql, got "" (not set)'],
  );
  t.deepEqual(
    issuesOf(file('database:\n  url: mysql://x\n')).map((i) => i.text),
    ['database.url: expected a postgres:// URL because database.type is postgresql, got "mysql://x" (line 2)'],
  );
});

test('TLS enabled needs a certificate and a key', (t) => {
  const issues = issuesOf(file('network:\n  server:\n    tls:\n      enabled: true\n      key_file: ./key.pem\n'));
  t.deepEqual(issues.map((i) => i.path), ['network.server.tls.cert_file']);
  t.regex(issues[0]?.text ?? '', /because network\.server\.tls\.enabled is true/);
  t.true(loadConfig(file('network:\n  server:\n    tls: { enabled: true, cert_file: c.pem, key_file: k.pem }\n'), { env: false }).isOk());
});

test('keys that relate to each other are checked together', (t) => {
  const issues = issuesOf(
    file('policies:\n  backpressure:\n    low_watermark: 0.9\ndatabase:\n  pool:\n    min: 80\n    max: 60\n'),
  );
  t.deepEqual(
    issues.map((i) => i.text),
    [
      'policies.backpressure.low_watermark: expected a value below policies.backpressure.high_watermark (0.8), got 0.9 (line 3)',
      'database.pool.min: expected a value at most database.pool.max (60), got 80 (line 6)',
    ],
  );
});

test('an unquoted version is reported with the quoting hint', (t) => {
  const issues = issuesOf(file('messaging_system:\n  version: 1.0\n'));
  t.deepEqual(issues.map((i) => i.text), ['messaging_system.version: expected a quoted version like "1.0.0", got 1 (line 2)']);
});
