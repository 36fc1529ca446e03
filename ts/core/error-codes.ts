/**
 * The error codes of messaging-system. The numbers are part of the public API and never change
 * meaning; docs/ERROR_CODES.md is checked against this file by a test. Never reuse a number.
 */

/** Every error code by its stable name. */
export const ErrorCode = {
  // -1..-99: common
  UNKNOWN_ERROR: -1,
  INVALID_ARGUMENT: -2,
  NOT_FOUND: -3,
  ALREADY_EXISTS: -4,
  INVALID_STATE: -5,
  NOT_SUPPORTED: -6,
  IO_ERROR: -7,
  CONFIG_ERROR: -8,
  NATIVE_UNAVAILABLE: -9,
  CANCELLED: -10,
  INTERNAL_ERROR: -11,
  // -100..-199: executor and queue
  EXECUTOR_SHUTDOWN: -100,
  JOB_FAILED: -101,
  JOB_TIMEOUT: -102,
  WORKER_CRASHED: -103,
  UNKNOWN_LANE: -104,
  QUEUE_CLOSED: -105,
  // -200..-299: messaging
  INVALID_MESSAGE: -200,
  ROUTING_FAILED: -201,
  SERIALIZATION_ERROR: -202,
  NETWORK_ERROR: -203,
  DATABASE_ERROR: -204,
  QUEUE_FULL: -205,
  TIMEOUT: -206,
  AUTHENTICATION_FAILED: -207,
  AUTHORIZATION_FAILED: -208,
  CONNECTION_CLOSED: -209,
  PROTOCOL_ERROR: -210,
  MESSAGE_EXPIRED: -211,
  // -300..-399: logging
  LOG_WRITE_FAILED: -300,
  LOG_CONFIG_INVALID: -301,
} as const;

/** The stable name of an error code, e.g. `QUEUE_FULL`. */
export type ErrorName = keyof typeof ErrorCode;

/** The number of an error code, e.g. `-205`. */
export type ErrorCodeNumber = (typeof ErrorCode)[ErrorName];

/** The ranges of error codes, by the part of the system that raises them. */
export const ERROR_RANGES = [
  { from: -1, to: -99, part: 'common' },
  { from: -100, to: -199, part: 'executor and queue' },
  { from: -200, to: -299, part: 'messaging' },
  { from: -300, to: -399, part: 'logging' },
] as const;

/** What each code means, as listed in docs/ERROR_CODES.md. */
export const ERROR_DESCRIPTIONS: Record<ErrorName, string> = {
  UNKNOWN_ERROR: 'An exception that carried no code; the cause holds the original.',
  INVALID_ARGUMENT: 'An argument is outside what the function accepts (the message names it).',
  NOT_FOUND: 'The named thing (service, subscription, message id) does not exist.',
  ALREADY_EXISTS: 'A thing with that name is already registered.',
  INVALID_STATE: 'The object is not in a state that allows the call (e.g. not started, closed).',
  NOT_SUPPORTED: 'The operation is not supported by this engine or platform.',
  IO_ERROR: 'A file or stream operation failed.',
  CONFIG_ERROR: 'The configuration is invalid; details list every error with its key path.',
  NATIVE_UNAVAILABLE: 'The native addon for this platform is missing or failed to load.',
  CANCELLED: 'The operation was cancelled by its caller or by shutdown.',
  INTERNAL_ERROR: 'A broken invariant inside messaging-system; please report it.',
  EXECUTOR_SHUTDOWN: 'The executor is shut down and accepts no more jobs.',
  JOB_FAILED: 'A job threw or returned an error.',
  JOB_TIMEOUT: 'A job ran past its time limit.',
  WORKER_CRASHED: 'The worker thread running the job died; the worker was replaced.',
  UNKNOWN_LANE: 'A job named a lane the executor does not have.',
  QUEUE_CLOSED: 'The queue is closed and accepts no more items.',
  INVALID_MESSAGE: 'A message is malformed (the message names the field).',
  ROUTING_FAILED: 'A mandatory publish matched no subscriber.',
  SERIALIZATION_ERROR: 'Bytes could not be encoded or decoded (the message says what and where).',
  NETWORK_ERROR: 'A socket operation failed.',
  DATABASE_ERROR: 'A database operation failed; nothing was acknowledged.',
  QUEUE_FULL: 'A bounded queue is full and its policy is reject.',
  TIMEOUT: 'An operation did not complete within its time limit.',
  AUTHENTICATION_FAILED: 'The peer could not be authenticated.',
  AUTHORIZATION_FAILED: 'The peer may not perform the operation on that topic.',
  CONNECTION_CLOSED: 'The connection closed before the operation completed.',
  PROTOCOL_ERROR: 'The peer sent a frame that breaks the wire protocol.',
  MESSAGE_EXPIRED: 'The message outlived its ttl before delivery.',
  LOG_WRITE_FAILED: 'A log line could not be written to its destination.',
  LOG_CONFIG_INVALID: 'The logging configuration is invalid.',
};

const NAMES_BY_CODE = new Map<number, ErrorName>(
  (Object.keys(ErrorCode) as ErrorName[]).map((name) => [ErrorCode[name], name]),
);

/** The stable name of `code`, or undefined for a number that is not a code. */
export function errorName(code: number): ErrorName | undefined {
  return NAMES_BY_CODE.get(code);
}

/** The Markdown table of every code, as docs/ERROR_CODES.md holds it. */
export function renderErrorCodeTable(): string {
  const lines = ['| code | name | range | meaning |', '|---:|---|---|---|'];
  for (const name of Object.keys(ErrorCode) as ErrorName[]) {
    const code = ErrorCode[name];
    const range = ERROR_RANGES.find((r) => code <= r.from && code >= r.to);
    lines.push(`| ${code} | \`${name}\` | ${range?.part ?? '?'} | ${ERROR_DESCRIPTIONS[name]} |`);
  }
  return lines.join('\n');
}
