import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { type ConfigChangeEvent, type ConfigWatcher, isLiveKey, watchForChanges } from '../ts/config/index.js';
import { ErrorCode, type Logger, NO_LOGGER } from '../ts/core/index.js';

const BASE = 'network:\n  server:\n    port: 9100\nlogging:\n  level: info\n';

function setup(text = BASE) {
  const dir = mkdtempSync(join(tmpdir(), 'messaging-watch-'));
  const path = join(dir, 'messaging_system.yaml');
  writeFileSync(path, text);
  const events: ConfigChangeEvent[] = [];
  const logged: { level: string; fields: unknown; message?: string }[] = [];
  const record =
    (level: string) =>
    (fields: unknown, message?: string): void => {
      logged.push({ level, fields, ...(message === undefined ? {} : { message }) });
    };
  const logger: Logger = { ...NO_LOGGER, info: record('info'), warn: record('warn'), error: record('error') };
  const watcher = watchForChanges(path, (e) => events.push(e), { env: false, debounceMs: 50, logger }).unwrap();
  return { dir, path, events, logged, watcher };
}

async function until(events: unknown[], count: number, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (events.length < count && Date.now() < end) await sleep(10);
}

function close(watcher: ConfigWatcher) {
  watcher.close();
}

test('a log level edit applies live', async (t) => {
  const { path, events, watcher, logged } = setup();
  writeFileSync(path, BASE.replace('level: info', 'level: debug'));
  await until(events, 1);
  close(watcher);
  t.is(events.length, 1);
  const event = events[0];
  t.is(event?.kind, 'changed');
  if (event?.kind !== 'changed') return;
  t.deepEqual(event.live, [{ path: 'logging.level', from: 'info', to: 'debug' }]);
  t.deepEqual(event.restartRequired, []);
  t.is(watcher.current().logging.level, 'debug');
  t.true(logged.some((l) => l.level === 'info' && l.message === 'configuration changes applied'));
});

test('a port edit needs a restart and the running config keeps the old port', async (t) => {
  const { path, events, watcher, logged } = setup();
  writeFileSync(
    path,
    `${BASE.replace('port: 9100', 'port: 9200')}policies:\n  retry:\n    max_attempts: 9\n  backpressure:\n    strategy: drop_oldest\n`,
  );
  await until(events, 1);
  close(watcher);
  const event = events[0];
  if (event?.kind !== 'changed') return t.fail('expected a change');
  t.deepEqual(event.restartRequired.map((c) => c.path), ['network.server.port']);
  t.deepEqual(event.live.map((c) => c.path).toSorted(), ['policies.backpressure.strategy', 'policies.retry.max_attempts']);
  t.is(watcher.current().network.server.port, 9100);
  t.is(watcher.current().policies.retry.max_attempts, 9);
  t.true(logged.some((l) => l.level === 'warn' && l.message === 'configuration changes need a restart'));
});

test('an invalid edit keeps the running config and reports every error', async (t) => {
  const { path, events, watcher, logged } = setup();
  writeFileSync(path, 'network:\n  server:\n    port: 80a\nlogging:\n  level: loud\n');
  await until(events, 1);
  const event = events[0];
  if (event?.kind !== 'invalid') return t.fail('expected an invalid event');
  t.is(event.error.code, ErrorCode.CONFIG_ERROR);
  t.deepEqual(event.issues.map((i) => i.path), ['network.server.port', 'logging.level']);
  t.is(event.config.network.server.port, 9100);
  t.is(watcher.current().logging.level, 'info');
  t.true(logged.some((l) => l.level === 'error'));
  // a fix afterwards is picked up
  writeFileSync(path, BASE.replace('level: info', 'level: warn'));
  await until(events, 2);
  close(watcher);
  t.is(events[1]?.kind, 'changed');
  t.is(watcher.current().logging.level, 'warn');
});

test('a burst of writes is one reload', async (t) => {
  const { path, events, watcher } = setup();
  for (const level of ['debug', 'warn', 'error', 'trace', 'fatal']) {
    writeFileSync(path, BASE.replace('level: info', `level: ${level}`));
    await sleep(5);
  }
  await until(events, 1);
  await sleep(200);
  close(watcher);
  t.is(events.length, 1);
  t.is(watcher.current().logging.level, 'fatal');
});

test('a file replaced by rename (as editors save) is picked up', async (t) => {
  const { dir, path, events, watcher } = setup();
  const temp = join(dir, '.messaging_system.yaml.swp');
  writeFileSync(temp, BASE.replace('level: info', 'level: error'));
  renameSync(temp, path);
  await until(events, 1);
  close(watcher);
  t.is(watcher.current().logging.level, 'error');
});

test('an edit that changes nothing reports nothing; after close nothing is reported', async (t) => {
  const { path, events, watcher } = setup();
  writeFileSync(path, `# a comment\n${BASE}`);
  await sleep(300);
  t.is(events.length, 0);
  close(watcher);
  writeFileSync(path, BASE.replace('level: info', 'level: debug'));
  await sleep(300);
  t.is(events.length, 0);
});

test('reload() checks now; an invalid first load is an error', (t) => {
  const { path, watcher, events } = setup();
  writeFileSync(path, BASE.replace('level: info', 'level: trace'));
  const event = watcher.reload();
  close(watcher);
  t.is(event?.kind, 'changed');
  t.is(events.length, 1);
  const dir = mkdtempSync(join(tmpdir(), 'messaging-watch-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'network:\n  server:\n    port: -1\n');
  const result = watchForChanges(bad, () => undefined, { env: false });
  t.true(result.isErr() && result.error.code === ErrorCode.CONFIG_ERROR);
});

test('which keys apply live', (t) => {
  t.true(isLiveKey('logging.level'));
  t.true(isLiveKey('policies.backpressure.threshold'));
  t.true(isLiveKey('policies.retry.backoff_ms'));
  t.true(isLiveKey('monitoring.metrics_interval_ms'));
  t.false(isLiveKey('monitoring.port'));
  t.false(isLiveKey('logging.file.path'));
  t.false(isLiveKey('network.server.port'));
});
