import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import test from 'ava';
import { pino } from 'pino';
import { ErrorCode } from '../ts/core/index.js';
import type { MessagingError } from '../ts/core/errors.js';
import { FileDestination, type FileDestinationOptions, createLogger, parseSize, rotatedName } from '../ts/observability/index.js';

function tempFile(name = 'app.log'): string {
  return join(mkdtempSync(join(tmpdir(), 'messaging-dest-')), name);
}

function open(options: FileDestinationOptions): FileDestination {
  const dest = FileDestination.open(options).unwrap();
  dest.on('error', () => undefined);
  return dest;
}

function flushed(dest: FileDestination): Promise<Error | undefined> {
  return new Promise((resolve) => dest.flush(resolve));
}

function closed(dest: FileDestination): Promise<void> {
  return new Promise((resolve) => {
    dest.once('close', () => resolve());
    dest.end();
  });
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').slice(0, -1);
}

/** A JSON line of 16 + pad bytes whatever `i` (below 10^pad). */
const line = (i: number, pad = 40): string => `{"i":${i},"pad":"${'x'.repeat(pad - String(i).length)}"}\n`;

test('every line is in the file, in order, after close; many chunks and lines larger than a buffer', async (t) => {
  const path = tempFile();
  const dest = open({ path, bufferSize: 1024 });
  const expected: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const text = line(i, i % 97 === 0 ? 3000 : 40);
    expected.push(text.slice(0, -1));
    dest.write(text);
  }
  await closed(dest);
  t.deepEqual(lines(path), expected);
  t.false(dest.write(line(5000)));
});

test('multi-byte UTF-8 across buffer boundaries is written intact', async (t) => {
  const path = tempFile();
  const dest = open({ path, bufferSize: 256 });
  const expected: string[] = [];
  for (let i = 0; i < 500; i++) {
    const text = `${i} ${'é€😀中'.repeat(i % 13)} ü\n`;
    expected.push(text.slice(0, -1));
    dest.write(text);
  }
  await closed(dest);
  t.deepEqual(lines(path), expected);
});

test('flush calls back only once the accepted lines are in the file, and appends to an existing file', async (t) => {
  const path = tempFile();
  writeFileSync(path, 'before\n');
  const dest = open({ path });
  for (let i = 0; i < 100; i++) dest.write(line(i));
  t.is(lines(path).length, 1, 'lines wait in the buffer');
  t.is(await flushed(dest), undefined);
  t.is(lines(path).length, 101);
  for (let i = 0; i < 20_000; i++) dest.write(line(i));
  t.is(await flushed(dest), undefined);
  t.is(lines(path).length, 20_101);
  await closed(dest);
});

test('sync mode writes each line before write returns', async (t) => {
  const path = tempFile();
  const dest = open({ path, sync: true });
  dest.write('one\n');
  t.deepEqual(lines(path), ['one']);
  dest.write('två\n');
  t.deepEqual(lines(path), ['one', 'två']);
  await closed(dest);
});

test('sizes and rotated names', (t) => {
  t.is(parseSize('1k'), 1024);
  t.is(parseSize('100m'), 100 * 1024 * 1024);
  t.is(parseSize('2g'), 2 * 1024 ** 3);
  t.true(Number.isNaN(parseSize('10 MB')));
  t.is(rotatedName('/l/messaging.log', 3), '/l/messaging.3.log');
  t.is(rotatedName('/l/messaging', 1), '/l/messaging.1');
});

for (const sync of [false, true]) {
  test(`rotation by size keeps the newest files, each ending with the line that reached the size (sync ${sync})`, async (t) => {
    const path = tempFile('r.log');
    const dest = open({ path, sync, bufferSize: 300, rotation: { size: 1100, keep: 2 } });
    for (let i = 0; i < 100; i++) dest.write(line(i)); // 100 lines of 56 bytes: a file every 20 lines
    await closed(dest);
    const dir = join(path, '..');
    t.deepEqual(readdirSync(dir).toSorted(), ['r.1.log', 'r.2.log', 'r.log']);
    t.is(lines(rotatedName(path, 2))[0], line(60).slice(0, -1));
    t.is(lines(rotatedName(path, 1))[0], line(80).slice(0, -1));
    t.is(statSync(rotatedName(path, 1)).size, 20 * 56);
    t.deepEqual(lines(path), []);
  });

  test(`rotation by time starts a new file at the hour (sync ${sync})`, async (t) => {
    const path = tempFile('t.log');
    let clock = new Date(2026, 10, 29, 10, 59, 0).getTime();
    const dest = open({ path, sync, rotation: { frequency: 'hourly', keep: 5 }, now: () => clock });
    for (let i = 0; i < 10; i++) dest.write(line(i));
    await flushed(dest);
    clock += 120_000; // 11:01
    for (let i = 10; i < 20; i++) dest.write(line(i));
    await flushed(dest);
    clock += 60_000; // 11:02, same hour
    for (let i = 20; i < 30; i++) dest.write(line(i));
    await flushed(dest); // the logger flushes every second
    clock += 24 * 3600_000; // a day later
    for (let i = 30; i < 40; i++) dest.write(line(i));
    await closed(dest);
    const first = lines(rotatedName(path, 2));
    t.deepEqual(first.map((l) => JSON.parse(l).i), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const all = [3, 2, 1, 0].flatMap((n) => {
      const name = n === 0 ? path : rotatedName(path, n);
      return readdirSync(join(path, '..')).includes(name.slice(name.lastIndexOf('/') + 1)) ? lines(name) : [];
    });
    t.deepEqual(
      all.map((l) => JSON.parse(l).i),
      Array.from({ length: 40 }, (_, i) => i),
    );
    t.true(lines(path).length > 0);
  });
}

test('a write error is reported as LOG_WRITE_FAILED, never thrown, and writing goes on', async (t) => {
  const path = tempFile();
  const errors: MessagingError[] = [];
  const logger = (await createLogger({ console: false, file: { path }, onError: (e) => errors.push(e) })).unwrap();
  logger.info('before');
  t.true((await logger.flush()).isOk());
  const dest = (logger.pino as unknown as Record<symbol, FileDestination>)[pino.symbols.streamSym] as FileDestination;
  closeSync(dest.fd);
  logger.info('lost');
  const failed = await logger.flush();
  t.true(failed.isErr() && failed.error.code === ErrorCode.LOG_WRITE_FAILED);
  t.is(errors.length, 1);
  t.is(errors[0]?.code, ErrorCode.LOG_WRITE_FAILED);
  t.regex(errors[0]?.message ?? '', /could not be written/);
  logger.info('after');
  t.true((await logger.close()).isOk());
  t.deepEqual(
    lines(path).map((l) => JSON.parse(l).msg),
    ['before', 'after'],
  );
});

test('a directory that disappears under a rotating file is reported on every lost chunk, never thrown', async (t) => {
  const path = tempFile();
  const errors: Error[] = [];
  const dest = FileDestination.open({ path, bufferSize: 300, rotation: { size: 200, keep: 1 } }).unwrap();
  dest.on('error', (e: Error) => errors.push(e));
  for (let i = 0; i < 3; i++) dest.write(line(i));
  t.is(await flushed(dest), undefined);
  rmSync(join(path, '..'), { recursive: true });
  for (let i = 3; i < 20; i++) dest.write(line(i));
  const error = await flushed(dest);
  t.regex(error?.message ?? '', /could not be written/);
  t.true(errors.some((e) => /cannot rotate/.test(e.message)));
  t.true(errors.some((e) => /could not be written/.test(e.message)));
  await closed(dest);
  t.pass();
});

test('lines still buffered are written when the process exits with process.exit', (t) => {
  const path = tempFile();
  const script = join(path, '..', 'child.mts');
  const logger = pathToFileURL(join(process.cwd(), 'ts/observability/logger.ts')).href;
  writeFileSync(
    script,
    `import { createLogger } from '${logger}';
const log = (await createLogger({ console: false, file: { path: ${JSON.stringify(path)} } })).unwrap();
for (let i = 0; i < 20000; i++) log.info({ i }, 'exiting');
process.exit(3);
`,
  );
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  t.is(child.status, 3, child.stderr);
  const seen = lines(path).map((l) => JSON.parse(l).i);
  t.deepEqual(
    seen,
    Array.from({ length: 20000 }, (_, i) => i),
  );
});
