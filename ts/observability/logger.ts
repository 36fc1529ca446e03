/**
 * The `Logger` implementation on pino: JSON lines to the console and/or a rotating file
 * (FileDestination), written asynchronously, level changeable live, secrets redacted at any depth, and
 * the current TraceContext (trace id, span id, message id, topic) added to every line. Creating a
 * logger returns a Result; logging never throws and never blocks on I/O when `async` is on.
 */
import { pino, type DestinationStream, type Logger as Pino, type LoggerOptions as PinoOptions } from 'pino';
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError, toMessagingError } from '../core/errors.js';
import type { LogLevel, Logger } from '../core/interfaces.js';
import { type Result, err, ok } from '../core/result.js';
import { FileDestination, parseSize } from './file-destination.js';
import { REDACTED, redactDeep } from './redact.js';
import { TraceContext } from './trace-context.js';

/** Every level name, lowest first. */
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Rotation of the log file. */
export interface RotationOptions {
  /** Size that starts a new file: a number then k, m or g (e.g. `100m`). */
  size?: string;
  /** Time that starts a new file. */
  frequency?: 'daily' | 'hourly' | 'none';
  /** Rotated files kept besides the current one. */
  keep?: number;
}

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Lowest level written (default `info`). */
  level?: LogLevel;
  /** Buffer lines and write them asynchronously (default true). */
  async?: boolean;
  /** Write to standard output (default true). */
  console?: boolean;
  /** Write to a file; with `rotation` the file rotates (files get a number before the extension). */
  file?: { path: string; rotation?: RotationOptions };
  /** A stream that also receives every line (tests, pipes). */
  stream?: DestinationStream;
  /** Extra key paths to hide, in pino's redact syntax (`req.headers.cookie`). */
  redact?: readonly string[];
  /** Add the current TraceContext to every line (default true). */
  trace?: boolean;
  /** `name` field of every line. */
  name?: string;
  /** Fields added to every line. */
  base?: Record<string, unknown>;
  /** Called when a line cannot be written (default: one line on stderr). */
  onError?: (error: MessagingError) => void;
}

/** The `logging` section of the configuration, as far as the logger reads it. */
export interface LoggingSection {
  level: LogLevel;
  async: boolean;
  console: boolean;
  file: { enabled: boolean; path: string; rotation: Required<RotationOptions> };
  redact: readonly string[];
}

/** Logger options from the `logging` section of the configuration. */
export function loggerOptionsFromConfig(logging: LoggingSection): LoggerOptions {
  return {
    level: logging.level,
    async: logging.async,
    console: logging.console,
    redact: logging.redact,
    ...(logging.file.enabled ? { file: { path: logging.file.path, rotation: logging.file.rotation } } : {}),
  };
}

type FileStream = DestinationStream & {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  flush?(cb?: (e?: Error) => void): void;
  flushSync?(): void;
  end?(): void;
  fd?: number;
  file?: string;
};

/** What several loggers (a parent and its children) share: the destinations. */
interface Sink {
  streams: FileStream[];
  timer: NodeJS.Timeout | undefined;
  onExit: () => void;
  closed: boolean;
}

const EMPTY: Record<string, never> = Object.freeze({});

/** Lines of one trace context written through the mixin before a bound child takes over. */
const CHILD_AFTER = 8;

/** Marks a pino child that already carries the trace context in its bindings. */
const CONTEXT_BOUND = Symbol('messaging.contextBound');

function sharesContextKey(fields: object): boolean {
  return 'traceId' in fields || 'spanId' in fields || 'parentSpanId' in fields || 'messageId' in fields || 'topic' in fields;
}

function isEmpty(object: object): boolean {
  for (const _ in object) return false;
  return true;
}

/** The pino logger behind the `Logger` interface. */
export class PinoLogger implements Logger {
  /** Per trace context: lines written so far, then a pino child holding it as serialized bindings. */
  private contexts = new WeakMap<object, number | Pino>();

  /** @internal */
  constructor(
    private readonly instance: Pino,
    private readonly sink: Sink,
    private readonly traceOn: boolean,
  ) {}

  /**
   * The pino logger to write through. The first lines of a trace context go through the mixin;
   * from the CHILD_AFTER-th line on, a child bound to the context (its fields serialized once, not
   * per line), which pays for its creation only when a context writes many lines. When the caller
   * passes a field of the context, the line goes through the mixin, where the caller's field wins.
   */
  private target(first: unknown): Pino {
    if (!this.traceOn) return this.instance;
    const context = TraceContext.current();
    if (!context) return this.instance;
    if (typeof first === 'object' && first !== null && sharesContextKey(first)) return this.instance;
    const seen = this.contexts.get(context);
    if (typeof seen === 'object') return seen;
    const count = (seen ?? 0) + 1;
    if (count < CHILD_AFTER) {
      this.contexts.set(context, count);
      return this.instance;
    }
    const child = this.instance.child(context);
    (child as unknown as Record<symbol, boolean>)[CONTEXT_BOUND] = true;
    this.contexts.set(context, child);
    return child;
  }

  /** The pino instance (for pino-specific features). */
  get pino(): Pino {
    return this.instance;
  }

  get level(): LogLevel {
    return this.instance.level as LogLevel;
  }

  set level(level: LogLevel) {
    if (LOG_LEVELS.includes(level)) this.instance.level = level;
  }

  /** Changes the level; an unknown level is LOG_CONFIG_INVALID and changes nothing. */
  setLevel(level: string): Result<void> {
    if (!LOG_LEVELS.includes(level as LogLevel)) {
      return err(new MessagingError(ErrorCode.LOG_CONFIG_INVALID, `unknown log level "${level}"; expected one of ${LOG_LEVELS.join(', ')}`));
    }
    this.instance.level = level;
    return ok();
  }

  trace(a: string | Record<string, unknown>, b?: string): void {
    const target = this.target(a);
    if (b === undefined) target.trace(a as string);
    else target.trace(a as Record<string, unknown>, b);
  }

  debug(a: string | Record<string, unknown>, b?: string): void {
    const target = this.target(a);
    if (b === undefined) target.debug(a as string);
    else target.debug(a as Record<string, unknown>, b);
  }

  info(a: string | Record<string, unknown>, b?: string): void {
    const target = this.target(a);
    if (b === undefined) target.info(a as string);
    else target.info(a as Record<string, unknown>, b);
  }

  warn(a: string | Record<string, unknown>, b?: string): void {
    const target = this.target(a);
    if (b === undefined) target.warn(a as string);
    else target.warn(a as Record<string, unknown>, b);
  }

  error(a: string | Record<string, unknown>, b?: string): void {
    const target = this.target(a);
    if (b === undefined) target.error(a as string);
    else target.error(a as Record<string, unknown>, b);
  }

  fatal(a: string | Record<string, unknown>, b?: string): void {
    const target = this.target(a);
    if (b === undefined) target.fatal(a as string);
    else target.fatal(a as Record<string, unknown>, b);
  }

  /** A logger that adds `bindings` to every line; it shares this logger's destinations. */
  child(bindings: Record<string, unknown>): PinoLogger {
    return new PinoLogger(this.instance.child(redactDeep(bindings)), this.sink, this.traceOn);
  }

  /** Writes buffered lines out and resolves when they are written. */
  flush(): Promise<Result<void>> {
    return Promise.all(
      this.sink.streams.map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            if (!s.flush) return resolve();
            s.flush((e) => (e ? reject(e) : resolve()));
          }),
      ),
    ).then(
      () => ok(),
      (e: unknown) => err(toMessagingError(e, 'LOG_WRITE_FAILED')),
    );
  }

  /** Flushes and closes the destinations; later lines are dropped. Children share the close. */
  async close(): Promise<Result<void>> {
    if (this.sink.closed) return ok();
    const flushed = await this.flush();
    this.sink.closed = true;
    if (this.sink.timer) clearInterval(this.sink.timer);
    process.removeListener('exit', this.sink.onExit);
    this.instance.level = 'silent';
    await Promise.all(
      this.sink.streams.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (!s.end) return resolve();
            s.once('close', () => resolve());
            s.once('error', () => resolve());
            s.end();
          }),
      ),
    );
    return flushed;
  }
}

function openFile(path: string, rotation: RotationOptions | undefined, sync: boolean): Result<FileDestination> {
  const frequency = rotation?.frequency;
  return FileDestination.open({
    path,
    sync,
    rotation: {
      ...(rotation?.size ? { size: parseSize(rotation.size) } : {}),
      ...(frequency && frequency !== 'none' ? { frequency } : {}),
      ...(rotation?.keep ? { keep: rotation.keep } : {}),
    },
  });
}

function validate(options: LoggerOptions): MessagingError | undefined {
  const invalid = (message: string) => new MessagingError(ErrorCode.LOG_CONFIG_INVALID, message, { details: { options } });
  if (options.level !== undefined && !LOG_LEVELS.includes(options.level)) {
    return invalid(`unknown log level "${options.level}"; expected one of ${LOG_LEVELS.join(', ')}`);
  }
  if (options.file) {
    if (typeof options.file.path !== 'string' || options.file.path === '') return invalid('logging.file.path must be a non-empty path');
    const { size, keep } = options.file.rotation ?? {};
    if (size !== undefined && !/^[0-9]+[kmg]$/.test(size)) return invalid(`rotation size "${size}" is not a number then k, m or g`);
    if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) return invalid(`rotation keep ${keep} is not a positive integer`);
  }
  return undefined;
}

/** Creates a logger; an invalid option is LOG_CONFIG_INVALID, a file that cannot be opened LOG_WRITE_FAILED. */
export async function createLogger(options: LoggerOptions = {}): Promise<Result<PinoLogger>> {
  const invalid = validate(options);
  if (invalid) return err(invalid);
  const sync = options.async === false;
  const onError =
    options.onError ??
    ((e: MessagingError) => {
      process.stderr.write(`log write failed: ${e.message}\n`);
    });
  const streams: FileStream[] = [];
  const destinations: DestinationStream[] = [];
  try {
    if (options.console !== false) {
      const stdout = pino.destination({ fd: 1, sync }) as unknown as FileStream;
      streams.push(stdout);
      destinations.push(stdout);
    }
    if (options.file) {
      const file = openFile(options.file.path, options.file.rotation, sync).unwrap();
      streams.push(file);
      destinations.push(file);
    }
  } catch (e) {
    for (const s of streams) s.end?.();
    const cause = e instanceof Error ? e.message : String(e);
    return err(new MessagingError(ErrorCode.LOG_WRITE_FAILED, `cannot open the log file ${options.file?.path}: ${cause}`, { cause: e }));
  }
  if (options.stream) destinations.push(options.stream);
  for (const s of streams) {
    s.on('error', (e) => onError(toMessagingError(e, 'LOG_WRITE_FAILED')));
  }

  const sink: Sink = { streams, timer: undefined, closed: false, onExit: () => undefined };
  sink.onExit = () => {
    for (const s of sink.streams) {
      try {
        s.flushSync?.();
      } catch {
        // the process is exiting; nothing left to report to
      }
    }
  };
  if (!sync && streams.length > 0) {
    process.once('exit', sink.onExit);
    sink.timer = setInterval(() => {
      for (const s of sink.streams) s.flush?.(() => undefined);
    }, 1000);
    sink.timer.unref();
  }

  // Secrets are hidden by redactDeep in the merge step (any depth, keys cached); pino's own
  // path redaction only runs for extra paths, as it costs several microseconds per line.
  const traceOn = options.trace !== false;
  const extraPaths = options.redact ?? [];
  const pinoOptions: PinoOptions = {
    level: options.level ?? 'info',
    ...(extraPaths.length > 0 ? { redact: { paths: [...extraPaths], censor: REDACTED } } : {}),
    ...(options.name ? { name: options.name } : {}),
    ...(options.base ? { base: { pid: process.pid, ...redactDeep(options.base) } } : {}),
    mixin: traceOn
      ? (_fields: object, _level: number, logger: unknown) =>
          (logger as Record<symbol, boolean>)[CONTEXT_BOUND] ? EMPTY : (TraceContext.current() ?? EMPTY)
      : () => EMPTY,
    mixinMergeStrategy: (mergeObject: object, mixinObject: object) => {
      const fields = redactDeep(mergeObject);
      if (mixinObject === EMPTY) return fields;
      if (isEmpty(fields)) return mixinObject;
      return { ...mixinObject, ...fields };
    },
  };
  let destination: DestinationStream;
  if (destinations.length === 1) destination = destinations[0] as DestinationStream;
  else if (destinations.length === 0) destination = { write: () => undefined };
  else destination = pino.multistream(destinations.map((stream) => ({ stream, level: 'trace' as const })));
  try {
    return ok(new PinoLogger(pino(pinoOptions, destination), sink, traceOn));
  } catch (e) {
    if (sink.timer) clearInterval(sink.timer);
    process.removeListener('exit', sink.onExit);
    for (const s of streams) s.end?.();
    return err(toMessagingError(e, 'LOG_CONFIG_INVALID'));
  }
}
