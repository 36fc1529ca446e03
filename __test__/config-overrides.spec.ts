import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import {
  configIssues,
  envOverrides,
  envVariableName,
  formatEffectiveConfig,
  loadConfig,
  loadConfigWithSources,
  parseOverrideValue,
  setOverrides,
} from '../ts/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'messaging-overrides-'));
const path = join(dir, 'messaging_system.yaml');
writeFileSync(path, 'network:\n  server:\n    port: 9100\nlogging:\n  level: warn\ndatabase:\n  url: postgres://app:hunter2@db:5432/app\n');

test('values are read as YAML scalars', (t) => {
  t.is(parseOverrideValue('9000'), 9000);
  t.is(parseOverrideValue('true'), true);
  t.is(parseOverrideValue('0.75'), 0.75);
  t.deepEqual(parseOverrideValue('[1, 2, 3]'), [1, 2, 3]);
  t.is(parseOverrideValue('debug'), 'debug');
  t.is(parseOverrideValue('80a'), '80a');
  t.is(parseOverrideValue(''), '');
  t.is(parseOverrideValue('"quoted: yes"'), 'quoted: yes');
});

test('double underscores nest, names are lowercased, unrelated variables pass by', (t) => {
  const { overrides, problems } = envOverrides({
    MESSAGING_NETWORK__SERVER__PORT: '9000',
    MESSAGING_THREAD_POOLS__IO_POOL__WORKERS: '4',
    MESSAGING_TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
    MESSAGING_POLICIES__RETRY__BACKOFF_MS: '[10, 20]',
    OTHER__THING: 'x',
  });
  t.deepEqual(problems, []);
  t.deepEqual(
    overrides.map((o) => [o.path.join('.'), o.value]),
    [
      ['network.server.port', 9000],
      ['policies.retry.backoff_ms', [10, 20]],
      ['thread_pools.io_pool.workers', 4],
    ],
  );
  t.is(envVariableName('network.server.max_connections'), 'MESSAGING_NETWORK__SERVER__MAX_CONNECTIONS');
});

test('environment beats the file and --set beats the environment', (t) => {
  const config = loadConfig(path, {
    env: { MESSAGING_NETWORK__SERVER__PORT: '9200', MESSAGING_LOGGING__LEVEL: 'error' },
    set: ['network.server.port=9300'],
  }).unwrap();
  t.is(config.network.server.port, 9300);
  t.is(config.logging.level, 'error');
});

test('process.env is read when no environment is given', (t) => {
  process.env.MESSAGING_MONITORING__PORT = '9999';
  try {
    t.is(loadConfig(path).unwrap().monitoring.port, 9999);
    t.is(loadConfig(path, { env: false }).unwrap().monitoring.port, 9464);
  } finally {
    delete process.env.MESSAGING_MONITORING__PORT;
  }
});

test('overrides are validated the same way and name their origin', (t) => {
  const result = loadConfig(path, {
    env: { MESSAGING_NETWORK__SERVER__PORT: '80a', MESSAGING_NETWORK__SERVR__PORT: '1' },
    set: ['policies.backpressure.strategy=dropp', 'logging.levle=debug', 'no-equals-sign', 'logging.level.x=1'],
  });
  t.true(result.isErr());
  if (!result.isErr()) return;
  const texts = configIssues(result.error).map((i) => i.text);
  t.deepEqual(texts.toSorted(), [
    'logging.level: cannot set logging.level.x: logging.level holds a value, not a mapping (from --set logging.level.x=1)',
    'logging.levle: unknown key, did you mean "level"? (from --set logging.levle=debug)',
    'network.server.port: expected an integer 1-65535, got "80a" (from MESSAGING_NETWORK__SERVER__PORT)',
    'network.servr: unknown key, did you mean "server"? (from MESSAGING_NETWORK__SERVR__PORT)',
    'no-equals-sign: expected key=value with a dotted key (e.g. network.server.port=9000), got "no-equals-sign" (from --set no-equals-sign)',
    'policies.backpressure.strategy: expected one of reject, drop_newest, drop_oldest, block, got "dropp" (from --set policies.backpressure.strategy=dropp)',
  ]);
});

test('--set parses dotted keys and keeps everything after the first =', (t) => {
  const { overrides, problems } = setOverrides(['database.url=postgres://a:b@h/db?x=1', 'policies.retry.backoff_ms=[1,2]']);
  t.deepEqual(problems, []);
  t.deepEqual(overrides[0]?.path, ['database', 'url']);
  t.is(overrides[0]?.value, 'postgres://a:b@h/db?x=1');
  t.deepEqual(overrides[1]?.value, [1, 2]);
});

test('the effective config says where every value came from', (t) => {
  const loaded = loadConfigWithSources(path, {
    env: { MESSAGING_LOGGING__LEVEL: 'debug' },
    set: ['policies.retry.max_attempts=5'],
  }).unwrap();
  const by = new Map(loaded.entries.map((e) => [e.path, e]));
  t.like(by.get('network.server.port'), { value: 9100, source: 'file', origin: path, line: 3 });
  t.like(by.get('logging.level'), { value: 'debug', source: 'env', origin: 'MESSAGING_LOGGING__LEVEL' });
  t.like(by.get('policies.retry.max_attempts'), { value: 5, source: 'set', origin: '--set policies.retry.max_attempts=5' });
  t.like(by.get('network.server.host'), { value: '127.0.0.1', source: 'default' });
  t.like(by.get('database.type'), { value: 'postgresql', source: 'file' });
  t.like(by.get('policies.retry.backoff_ms'), { value: [100, 500, 2000], source: 'default' });
  t.is(new Set(loaded.entries.map((e) => e.path)).size, loaded.entries.length);
});

test('the printed effective config masks the database password', (t) => {
  const text = formatEffectiveConfig(loadConfigWithSources(path, { env: false }).unwrap());
  t.false(text.includes('hunter2'));
  t.regex(text, /database\.url = "postgres:\/\/app:\*\*\*@db:5432\/app" +# file .*:7/);
  t.regex(text, /network\.server\.port = 9100 +# file /);
  t.regex(text, /network\.server\.host = "127\.0\.0\.1" +# default/);
});
