/**
 * Result<T, E>: the return type of every public function. Success is `Ok<T>`, failure `Err<E>`;
 * nothing in the public API throws. `unwrap()` is the one exit that throws, for tests and the
 * legacy layer only.
 */
import { type MessagingError, toMessagingError } from './errors.js';

/** Both arms of `match`. */
export interface ResultMatcher<T, E, A, B> {
  ok: (value: T) => A;
  err: (error: E) => B;
}

/** A successful result holding `value`. */
export class Ok<T> {
  readonly ok = true as const;
  constructor(readonly value: T) {}

  /** True: narrows to `Ok<T>`. */
  isOk(): this is Ok<T> {
    return true;
  }

  /** False: on a `Result` this narrows the other way. */
  isErr(): this is Err<never> {
    return false;
  }

  /** Transforms the value. */
  map<U>(fn: (value: T) => U): Ok<U> {
    return new Ok(fn(this.value));
  }

  /** Leaves a success as it is. */
  mapErr<F>(_fn: (error: never) => F): Ok<T> {
    return this;
  }

  /** Chains a computation that may fail. */
  andThen<U, F>(fn: (value: T) => Result<U, F>): Result<U, F> {
    return fn(this.value);
  }

  /** Leaves a success as it is. */
  orElse<U, F>(_fn: (error: never) => Result<U, F>): Ok<T> {
    return this;
  }

  /** Returns the value. */
  unwrapOr<U>(_fallback: U): T {
    return this.value;
  }

  /** Calls `ok` with the value. */
  match<A, B>(arms: ResultMatcher<T, never, A, B>): A | B {
    return arms.ok(this.value);
  }

  /** Returns the value. */
  unwrap(): T {
    return this.value;
  }
}

/** A failed result holding `error`. */
export class Err<E> {
  readonly ok = false as const;
  constructor(readonly error: E) {}

  /** False: on a `Result` this narrows the other way. */
  isOk(): this is Ok<never> {
    return false;
  }

  /** True: narrows to `Err<E>`, which is assignable to any `Result<U, E>`. */
  isErr(): this is Err<E> {
    return true;
  }

  /** Leaves a failure as it is. */
  map<U>(_fn: (value: never) => U): Err<E> {
    return this;
  }

  /** Transforms the error. */
  mapErr<F>(fn: (error: E) => F): Err<F> {
    return new Err(fn(this.error));
  }

  /** Leaves a failure as it is. */
  andThen<U, F>(_fn: (value: never) => Result<U, F>): Err<E> {
    return this;
  }

  /** Recovers from the error with another computation. */
  orElse<U, F>(fn: (error: E) => Result<U, F>): Result<U, F> {
    return fn(this.error);
  }

  /** Returns `fallback`. */
  unwrapOr<U>(fallback: U): U {
    return fallback;
  }

  /** Calls `err` with the error. */
  match<A, B>(arms: ResultMatcher<never, E, A, B>): A | B {
    return arms.err(this.error);
  }

  /** Throws the error (tests and the legacy layer only). */
  unwrap(): never {
    throw this.error;
  }
}

/** The outcome of an operation that can fail with `E`. */
export type Result<T, E = MessagingError> = Ok<T> | Err<E>;

/** A successful result. */
export function ok(): Ok<void>;
export function ok<T>(value: T): Ok<T>;
export function ok<T>(value?: T): Ok<T | undefined> {
  return new Ok(value);
}

/** A failed result. */
export function err<E>(error: E): Err<E> {
  return new Err(error);
}

/** Awaits `promise`; a rejection becomes an `Err` with the mapped `MessagingError`. */
export async function fromPromise<T>(promise: PromiseLike<T>): Promise<Result<T>> {
  try {
    return ok(await promise);
  } catch (e) {
    return err(toMessagingError(e));
  }
}

/** Runs `fn`; a thrown exception (or a rejection, for async `fn`) becomes an `Err`. */
export function tryCatch<T>(fn: () => Promise<T>): Promise<Result<T>>;
export function tryCatch<T>(fn: () => T): Result<T>;
export function tryCatch<T>(fn: () => T | Promise<T>): Result<T> | Promise<Result<T>> {
  let value: T | Promise<T>;
  try {
    value = fn();
  } catch (e) {
    return err(toMessagingError(e));
  }
  if (value instanceof Promise) return fromPromise(value);
  return ok(value as T);
}
