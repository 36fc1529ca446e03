import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { loadConfig } from '../ts/config/index.js';
import { ErrorCode, type LogLevel, type Logger } from '../ts/core/index.js';
import {
  REDACTED,
  TraceContext,
  createLogger,
  loggerOptionsFromConfig,
  redactDeep,
} from '../ts/observability/index.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'messaging-log-'));
}

function readLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('lines go to the file as JSON, asynchronously, and are all there after close', async (t) => {
  const file = join(tempDir(), 'logs', 'app.log');
  const logger = (await createLogger({ console: false, file: { path: file }, level: 'info' })).unwrap();
  for (let i = 0; i < 1000; i++) logger.info({ i }, 'line');
  logger.debug('below the level');
  t.true((await logger.close()).isOk());
  const lines = readLines(file);
  t.is(lines.length, 1000);
  t.like(lines[999], { level: 30, msg: 'line', i: 999 });
});

test('the Logger interface is implemented', async (t) => {
  const logger: Logger = (await createLogger({ console: false })).unwrap();
  t.is(logger.level, 'info');
  logger.level = 'debug';
  t.is(logger.level, 'debug');
  t.is(typeof logger.child({ a: 1 }).info, 'function');
});

test('every line inside TraceContext.run carries trace id, span id, message id and topic', async (t) => {
  const file = join(tempDir(), 'trace.log');
  const logger = (await createLogger({ console: false, file: { path: file } })).unwrap();
  const child = logger.child({ component: 'worker' });
  logger.info('outside');
  await TraceContext.run({ traceId: TRACE, messageId: 'msg-1', topic: 'user.created' }, async () => {
    logger.info('start');
    await sleep(5);
    child.info({ attempt: 1 }, 'after an await, from a child logger');
    setImmediate(() => logger.warn('in a callback'));
    await sleep(5);
    await TraceContext.runChild({ messageId: 'msg-2' }, async () => {
      logger.info('published from the handler');
    });
  });
  await logger.close();
  const [outside, ...inside] = readLines(file);
  t.is(outside?.traceId, undefined);
  t.is(inside.length, 4);
  for (const line of inside) t.is(line.traceId, TRACE);
  const root = inside[0] as Record<string, unknown>;
  t.like(root, { messageId: 'msg-1', topic: 'user.created', msg: 'start' });
  t.regex(String(root.spanId), /^[0-9a-f]{16}$/);
  t.like(inside[1], { component: 'worker', attempt: 1, spanId: root.spanId, messageId: 'msg-1' });
  t.like(inside[2], { msg: 'in a callback', spanId: root.spanId });
  const published = inside[3] as Record<string, unknown>;
  t.like(published, { messageId: 'msg-2', topic: 'user.created', parentSpanId: root.spanId });
  t.not(published.spanId, root.spanId);
});

test('a field passed by the caller wins over the trace context', async (t) => {
  const lines: string[] = [];
  const logger = (await createLogger({ console: false, stream: { write: (s) => void lines.push(s) } })).unwrap();
  TraceContext.run({ traceId: TRACE, topic: 'a.b' }, () => logger.info({ topic: 'explicit' }, 'x'));
  t.like(JSON.parse(lines[0] ?? '{}'), { traceId: TRACE, topic: 'explicit' });
});

test('secrets are redacted at any depth, the caller object is untouched', async (t) => {
  const lines: string[] = [];
  const logger = (
    await createLogger({ console: false, stream: { write: (s) => void lines.push(s) }, redact: ['req.headers["x-custom"]'] })
  ).unwrap();
  const pem = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n-----END PRIVATE KEY-----`;
  const fields = {
    password: 'p1',
    user: { name: 'ann', credentials: { apiKey: 'k1', api_key: 'k2' } },
    config: { database: { url: 'postgres://app:hunter2@db:5432/app' }, tls: { key_file: './key.pem', keyContent: pem } },
    list: [{ deep: { deeper: { clientSecret: 's1', refresh_token: 't1', privateKey: 'x' } } }],
    req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', 'x-custom': 'c1', accept: 'json' } },
    tlsOptions: { key: Buffer.from('secret key bytes'), cert: Buffer.from('cert bytes') },
    routing: { key: 'user.created' },
  };
  const before = JSON.stringify(fields);
  logger.info(fields, 'secrets');
  t.is(JSON.stringify(fields), before);
  const text = lines.join('');
  for (const secret of ['p1', 'k1', 'k2', 'hunter2', 'BEGIN PRIVATE', 's1', 't1', 'Bearer abc', 'sid=1', 'c1', 'secret key bytes']) {
    t.false(text.includes(secret), `${secret} leaked`);
  }
  const line = JSON.parse(text) as typeof fields & Record<string, unknown>;
  t.is(line.password, REDACTED);
  t.is(line.user.name, 'ann');
  t.is((line.user.credentials as unknown as string), REDACTED);
  t.is(line.config.database.url, `postgres://app:${REDACTED}@db:5432/app`);
  t.is(line.config.tls.key_file, './key.pem');
  t.is(line.config.tls.keyContent, REDACTED);
  t.is(line.list[0]?.deep.deeper.clientSecret, REDACTED);
  t.is(line.req.headers.accept, 'json');
  t.is(line.routing.key, 'user.created');
});

test('redactDeep copies only what it changes', (t) => {
  const clean = { a: 1, b: { c: 'text' }, d: [1, 2] };
  t.is(redactDeep(clean), clean);
  const dirty = { a: 1, b: { token: 'x' }, d: [1, 2] };
  const out = redactDeep(dirty);
  t.not(out, dirty);
  t.is(out.d, dirty.d);
  t.is(out.b.token, REDACTED);
  t.is(dirty.b.token, 'x');
  const cyclic: Record<string, unknown> = { secret: 's' };
  cyclic.self = cyclic;
  t.is((redactDeep(cyclic) as Record<string, unknown>).secret, REDACTED);
  // A cycle through an array and a nested object: every secret on the way is hidden, and it ends.
  const inner: Record<string, unknown> = { url: 'postgres://app:hunter2@db/x', list: [] as unknown[] };
  const outer = { items: [inner, 'plain', { apiKey: 'k' }] };
  (inner.list as unknown[]).push(outer, inner);
  const seen = redactDeep(outer);
  const first = seen.items[0] as Record<string, unknown>;
  t.is(first.url, 'postgres://app:[REDACTED]@db/x');
  t.is((seen.items[2] as Record<string, unknown>).apiKey, REDACTED);
  t.is(seen.items[1], 'plain');
  t.is(inner.url, 'postgres://app:hunter2@db/x', 'the caller object is untouched');
});

test('the level changes live', async (t) => {
  const lines: string[] = [];
  const logger = (await createLogger({ console: false, level: 'warn', stream: { write: (s) => void lines.push(s) } })).unwrap();
  const child = logger.child({ c: 1 });
  logger.info('dropped');
  logger.level = 'debug';
  logger.debug('kept');
  child.debug('kept by the child too');
  t.true(logger.setLevel('error').isOk());
  logger.warn('dropped again');
  const bad = logger.setLevel('loud');
  t.true(bad.isErr() && bad.error.code === ErrorCode.LOG_CONFIG_INVALID);
  t.is(logger.level as string, 'error');
  t.deepEqual(
    lines.map((l) => (JSON.parse(l) as { msg: string }).msg),
    ['kept', 'kept by the child too'],
  );
});

test('the file rotates by size and keeps the configured number of files', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'rotating.log');
  const logger = (
    await createLogger({ console: false, file: { path: file, rotation: { size: '1k', frequency: 'none', keep: 2 } } })
  ).unwrap();
  const payload = 'x'.repeat(200);
  for (let i = 0; i < 60; i++) {
    logger.info({ i, payload }, 'fill');
    if (i % 5 === 4) {
      await logger.flush();
      await sleep(20);
    }
  }
  await logger.close();
  await sleep(100);
  // The current file keeps its name; rotating.1.log is the newest rotated file, rotating.2.log the oldest kept.
  const files = readdirSync(dir).filter((f) => f.startsWith('rotating.')).toSorted();
  t.deepEqual(files, ['rotating.1.log', 'rotating.2.log', 'rotating.log']);
  const lines = ['rotating.2.log', 'rotating.1.log', 'rotating.log'].flatMap((f) => readLines(join(dir, f)));
  t.like(lines.at(-1), { i: 59 });
  t.deepEqual(
    lines.map((l) => l['i']),
    lines.map((_, k) => 60 - lines.length + k),
  );
});

test('bad options are LOG_CONFIG_INVALID; an unwritable file is LOG_WRITE_FAILED', async (t) => {
  const level = await createLogger({ level: 'loud' as LogLevel });
  t.true(level.isErr() && level.error.code === ErrorCode.LOG_CONFIG_INVALID);
  const size = await createLogger({ console: false, file: { path: join(tempDir(), 'a.log'), rotation: { size: '10 MB' } } });
  t.true(size.isErr() && size.error.code === ErrorCode.LOG_CONFIG_INVALID);
  const dir = tempDir();
  writeFileSync(join(dir, 'not-a-dir'), '');
  const blocked = await createLogger({ console: false, file: { path: join(dir, 'not-a-dir', 'x.log') } });
  t.true(blocked.isErr() && blocked.error.code === ErrorCode.LOG_WRITE_FAILED);
  const readOnly = tempDir();
  chmodSync(readOnly, 0o500);
  if (process.getuid?.() !== 0) {
    const denied = await createLogger({ console: false, file: { path: join(readOnly, 'x.log') } });
    t.true(denied.isErr() && denied.error.code === ErrorCode.LOG_WRITE_FAILED);
  }
  const path = await createLogger({ console: false, redact: ['a..b'] });
  t.true(path.isErr() && path.error.code === ErrorCode.LOG_CONFIG_INVALID);
});

test('options come from the logging section of the configuration', async (t) => {
  const dir = tempDir();
  const config = loadConfig(undefined, {
    env: false,
    set: ['logging.level=debug', 'logging.console=false', 'logging.file.enabled=true', `logging.file.path=${join(dir, 'm.log')}`],
  }).unwrap();
  const options = loggerOptionsFromConfig(config.logging);
  t.like(options, { level: 'debug', console: false, async: true });
  t.is(options.file?.path, join(dir, 'm.log'));
  const logger = (await createLogger(options)).unwrap();
  logger.debug('from config');
  await logger.close();
  const files = readdirSync(dir);
  t.is(files.length, 1);
  t.like(readLines(join(dir, files[0] as string))[0], { msg: 'from config', level: 20 });
});

test('a context that writes many lines keeps every field, the live level and the caller precedence', async (t) => {
  const lines: string[] = [];
  const logger = (await createLogger({ console: false, stream: { write: (s) => void lines.push(s) } })).unwrap();
  const child = logger.child({ component: 'worker' });
  TraceContext.run({ traceId: TRACE, messageId: 'm', topic: 'a.b' }, () => {
    for (let i = 0; i < 20; i++) logger.info({ i }, 'many');
    for (let i = 0; i < 20; i++) child.info({ i }, 'many from child');
    logger.info({ topic: 'explicit' }, 'override');
    logger.level = 'warn';
    logger.info('dropped');
    child.info('dropped too');
    logger.warn({ password: 'pw' }, 'kept');
  });
  logger.info('outside');
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  t.is(parsed.length, 20 + 20 + 1 + 1 + 0);
  for (const line of parsed.slice(0, 40)) t.like(line, { traceId: TRACE, messageId: 'm', topic: 'a.b' });
  for (const line of parsed.slice(20, 40)) t.is(line.component, 'worker');
  t.deepEqual(parsed.slice(0, 20).map((l) => l.i), Array.from({ length: 20 }, (_, i) => i));
  t.like(parsed[40], { topic: 'explicit', traceId: TRACE });
  t.like(parsed[41], { msg: 'kept', password: REDACTED, traceId: TRACE });
  for (const line of lines) t.is(line.match(/"traceId"/g)?.length, 1);
});
