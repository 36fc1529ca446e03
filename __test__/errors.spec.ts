import { readFileSync } from 'node:fs';
import test from 'ava';
import {
  ERROR_DESCRIPTIONS,
  ERROR_RANGES,
  ErrorCode,
  type ErrorName,
  MessagingError,
  renderErrorCodeTable,
  toMessagingError,
} from '../ts/index.js';

const names = Object.keys(ErrorCode) as ErrorName[];

test('the fixed messaging codes keep their numbers', (t) => {
  t.deepEqual(
    [
      ErrorCode.INVALID_MESSAGE,
      ErrorCode.ROUTING_FAILED,
      ErrorCode.SERIALIZATION_ERROR,
      ErrorCode.NETWORK_ERROR,
      ErrorCode.DATABASE_ERROR,
      ErrorCode.QUEUE_FULL,
      ErrorCode.TIMEOUT,
      ErrorCode.AUTHENTICATION_FAILED,
      ErrorCode.AUTHORIZATION_FAILED,
    ],
    [-200, -201, -202, -203, -204, -205, -206, -207, -208],
  );
});

test('every code is unique, inside a documented range and described', (t) => {
  const numbers = names.map((n) => ErrorCode[n]);
  t.is(new Set(numbers).size, numbers.length);
  for (const name of names) {
    const code = ErrorCode[name];
    t.truthy(
      ERROR_RANGES.find((r) => code <= r.from && code >= r.to),
      `${name} ${code} is in a range`,
    );
    t.true(ERROR_DESCRIPTIONS[name].length > 10, `${name} has a description`);
  }
});

test('docs/ERROR_CODES.md lists exactly the codes of the source', (t) => {
  const doc = readFileSync(new URL('../docs/ERROR_CODES.md', import.meta.url), 'utf8');
  const table = renderErrorCodeTable();
  t.true(doc.includes(table), `docs/ERROR_CODES.md must contain this table:\n${table}`);
  const rows = doc.split('\n').filter((line) => /^\| -\d+ \|/.test(line));
  t.is(rows.length, names.length);
});

test('MessagingError carries code, name, message, cause and details', (t) => {
  const cause = new Error('socket hang up');
  const e = new MessagingError(ErrorCode.QUEUE_FULL, 'queue "jobs" is full', {
    cause,
    details: { capacity: 10 },
  });
  t.is(e.code, -205);
  t.is(e.codeName, 'QUEUE_FULL');
  t.is(e.message, 'queue "jobs" is full');
  t.is(e.cause, cause);
  t.deepEqual(e.details, { capacity: 10 });
  t.is(e.name, 'MessagingError[QUEUE_FULL]');
  t.true(e instanceof Error);
  t.deepEqual(JSON.parse(JSON.stringify(e)), {
    code: -205,
    codeName: 'QUEUE_FULL',
    message: 'queue "jobs" is full',
    details: { capacity: 10 },
  });
  t.is(new MessagingError('TIMEOUT', 'late').code, -206);
});

test('the exception mapper keeps MessagingErrors, reads native tags, wraps the rest', (t) => {
  const original = new MessagingError('TIMEOUT', 'late');
  t.is(toMessagingError(original), original);
  const native = toMessagingError(new Error('[SERIALIZATION_ERROR] bad magic at offset 0'));
  t.is(native.codeName, 'SERIALIZATION_ERROR');
  t.is(native.message, 'bad magic at offset 0');
  const unknownTag = toMessagingError(new Error('[NOT_A_CODE] x'));
  t.is(unknownTag.codeName, 'UNKNOWN_ERROR');
  t.is(toMessagingError(new Error('x'), 'DATABASE_ERROR').codeName, 'DATABASE_ERROR');
  t.is(toMessagingError(42).message, '42');
});
