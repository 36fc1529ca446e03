import test from 'ava';
import { ErrorCode, MessagingError, type Result, err, fromPromise, ok, tryCatch } from '../ts/index.js';

const boom = new MessagingError(ErrorCode.INVALID_ARGUMENT, 'boom');

function parse(text: string): Result<number> {
  const n = Number(text);
  return Number.isInteger(n) ? ok(n) : err(new MessagingError('INVALID_ARGUMENT', `not an integer: ${text}`));
}

function doubled(text: string): Result<string> {
  const r = parse(text);
  if (r.isErr()) return r; // an Err of any T is a Result of any other T
  return ok(String(r.value * 2));
}

test('ok and err carry their value and error and narrow', (t) => {
  const good = parse('21');
  t.true(good.isOk());
  t.false(good.isErr());
  if (good.isOk()) t.is(good.value, 21);
  const bad = parse('x');
  t.true(bad.isErr());
  if (bad.isErr()) t.is(bad.error.code, ErrorCode.INVALID_ARGUMENT);
  t.deepEqual(doubled('21'), ok('42'));
  const failed = doubled('x');
  t.true(failed.isErr() && failed.error.message === 'not an integer: x');
});

test('map, mapErr, andThen and orElse compose', (t) => {
  t.is(ok(2).map((x) => x + 1).unwrap(), 3);
  t.is(err(boom).map((x: number) => x + 1).error, boom);
  t.is(err(boom).mapErr((e) => e.code).error, -2);
  t.is(ok(5).mapErr(() => 'never').value, 5);
  t.is(parse('4').andThen((n) => parse(String(n * 10))).unwrapOr(-1), 40);
  t.is(parse('x').andThen((n) => parse(String(n * 10))).unwrapOr(-1), -1);
  t.is(parse('x').orElse(() => ok(7)).unwrapOr(-1), 7);
  t.is(parse('3').orElse(() => ok(7)).unwrapOr(-1), 3);
});

test('match calls the right arm; unwrap throws the error itself', (t) => {
  t.is(parse('2').match({ ok: (v) => `ok ${v}`, err: (e) => `err ${e.codeName}` }), 'ok 2');
  t.is(parse('z').match({ ok: (v) => `ok ${v}`, err: (e) => `err ${e.codeName}` }), 'err INVALID_ARGUMENT');
  t.is(t.throws(() => err(boom).unwrap()), boom);
  t.is(ok().value, undefined);
});

test('tryCatch maps a thrown exception and keeps the cause', (t) => {
  const cause = new TypeError('bad type');
  const r = tryCatch((): number => {
    throw cause;
  });
  t.true(r.isErr());
  if (r.isErr()) {
    t.is(r.error.codeName, 'UNKNOWN_ERROR');
    t.is(r.error.message, 'bad type');
    t.is(r.error.cause, cause);
  }
  t.deepEqual(tryCatch(() => 3), ok(3));
  const thrownString = tryCatch((): number => {
    throw 'plain string';
  });
  t.true(thrownString.isErr() && thrownString.error.message === 'plain string');
});

test('fromPromise and async tryCatch turn rejections into Err', async (t) => {
  t.deepEqual(await fromPromise(Promise.resolve(1)), ok(1));
  const rejected = await fromPromise(Promise.reject(boom));
  t.true(rejected.isErr() && rejected.error === boom);
  const asyncThrow = await tryCatch(async () => {
    throw new Error('later');
  });
  t.true(asyncThrow.isErr() && asyncThrow.error.message === 'later');
  t.deepEqual(await tryCatch(async () => 'v'), ok('v'));
});
