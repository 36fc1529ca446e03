/**
 * The log file destination: pino hands it one JSON line at a time as a string; lines are joined
 * (a string concatenation, no copy) until a chunk of 85 K characters is reached, then the chunk is
 * encoded once into a preallocated buffer and written with one asynchronous fs.write while the next
 * chunk fills; chunks that queue up meanwhile go out together in one fs.writev (in sync mode every line is written at once with fs.writeSync). Encoding line by line
 * costs more: each of pino's lines is a rope that would be flattened and copied separately. It also rotates
 * the file by size and by day or hour: the current file keeps its name, the previous one becomes
 * `name.1.ext`, older ones shift up, and only `keep` of them are kept.
 *
 * It must never scan pending data per line, never throw from `write`, and never lose an accepted
 * line without an 'error' event.
 */
import { EventEmitter } from 'node:events';
import {
  close as closeAsync,
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  write as writeAsync,
  writeSync,
  writev as writevAsync,
} from 'node:fs';
import { dirname, extname } from 'node:path';
import { type Result, err, ok } from '../core/result.js';
import { toMessagingError } from '../core/errors.js';

/** When a new file starts regardless of size. */
export type RotationFrequency = 'daily' | 'hourly' | 'none';

/** Rotation of a `FileDestination`. */
export interface FileRotation {
  /**
   * Bytes after which a new file starts: the line that reaches it is the last of the old file (a file
   * of multi-byte text may end up to one chunk later).
   */
  size?: number;
  /** Start a new file at each local midnight or full hour. */
  frequency?: RotationFrequency;
  /** Rotated files kept besides the current one (default: all). */
  keep?: number;
}

/** Options of `FileDestination.open`. */
export interface FileDestinationOptions {
  /** The file; created with its directory, appended to if it exists. */
  path: string;
  /** Write every line synchronously as it comes (default false). */
  sync?: boolean;
  /** Bytes per buffer (default 256 KiB); a chunk is written once it holds a third as many characters. */
  bufferSize?: number;
  rotation?: FileRotation;
  /** The clock for time rotation, in ms since the epoch (default `Date.now`). */
  now?: () => number;
}

const DEFAULT_BUFFER_SIZE = 256 * 1024;
/** Written buffers kept for reuse; more are left to the garbage collector after a burst. */
const SPARE_BUFFERS = 4;
/** Queued chunks written by one fs.writev at most. */
const MAX_BATCH = 64;
/** A queue entry: close the file, shift the rotated names, open a new file. */
const ROTATE = Symbol('rotate');
const UNITS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

type Chunk = Buffer | typeof ROTATE;

interface Waiter {
  until: number;
  failures: number;
  cb: (error?: Error) => void;
}

/** Bytes of a size like `100m` (a number then k, m or g); NaN when it is not one. */
export function parseSize(size: string): number {
  const match = /^([0-9]+)([kmg])$/.exec(size);
  return match ? Number(match[1]) * (UNITS[match[2] as string] as number) : Number.NaN;
}

/** The name of the `n`-th rotated file: `logs/messaging.log` → `logs/messaging.n.log`. */
export function rotatedName(path: string, n: number): string {
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}.${n}${ext}`;
}

/** The first local midnight or full hour after `time`; Infinity without a frequency. */
function nextBoundary(time: number, frequency: RotationFrequency | undefined): number {
  const date = new Date(time);
  if (frequency === 'daily') return date.setHours(24, 0, 0, 0);
  if (frequency === 'hourly') return date.setMinutes(60, 0, 0);
  return Number.POSITIVE_INFINITY;
}

/** Renames `path` to `.1`, `.1` to `.2`, ...; a file that would be beyond `keep` is deleted. */
function shiftRotated(path: string, keep: number | undefined): void {
  let top = 1;
  while (existsSync(rotatedName(path, top))) top++;
  for (let i = top - 1; i >= 1; i--) {
    if (keep !== undefined && i >= keep) rmSync(rotatedName(path, i), { force: true });
    else renameSync(rotatedName(path, i), rotatedName(path, i + 1));
  }
  renameSync(path, rotatedName(path, 1));
}

function totalLength(chunks: readonly Buffer[]): number {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  return total;
}

function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

/**
 * A pino destination writing to a file (see the module comment). Events: 'ready' once after
 * opening, 'error' for every write, rotation or close that fails (the lines concerned are named,
 * the destination goes on), 'close' after `end()` has written everything.
 */
export class FileDestination extends EventEmitter {
  /** The open file descriptor; -1 while closed or after a failed rotation (reopened on the next write). */
  fd: number;
  /** The path of the current file. */
  readonly file: string;
  private readonly sync: boolean;
  private readonly size: number;
  /** Characters of pending lines that make a chunk. */
  private readonly chunk: number;
  private readonly limit: number;
  private readonly frequency: RotationFrequency | undefined;
  private readonly keep: number | undefined;
  private readonly now: () => number;
  private nextRotation: number;
  /** Bytes of the current file, with those queued for it. */
  private fileBytes: number;
  /** Lines accepted and not yet encoded. */
  private pending = '';
  /** Filled buffers and rotations, in order; the first `inFlight` buffers are being written. */
  private readonly queue: Chunk[] = [];
  private readonly spare: Buffer[] = [];
  private inFlight = 0;
  /** Bytes encoded into the queue, and bytes of those written or lost. */
  private accepted = 0;
  private settled = 0;
  private failures = 0;
  private lastError: Error | undefined;
  private readonly waiters: Waiter[] = [];
  private ending = false;
  private closed = false;

  /** Opens (creates) the file; a file that cannot be opened is LOG_WRITE_FAILED. */
  static open(options: FileDestinationOptions): Result<FileDestination> {
    try {
      mkdirSync(dirname(options.path), { recursive: true });
      return ok(new FileDestination(options, openSync(options.path, 'a')));
    } catch (e) {
      return err(toMessagingError(e, 'LOG_WRITE_FAILED'));
    }
  }

  private constructor(options: FileDestinationOptions, fd: number) {
    super();
    this.fd = fd;
    this.file = options.path;
    this.sync = options.sync === true;
    this.size = options.bufferSize ?? DEFAULT_BUFFER_SIZE;
    this.chunk = Math.floor(this.size / 3);
    this.limit = options.rotation?.size ?? Number.POSITIVE_INFINITY;
    this.frequency = options.rotation?.frequency;
    this.keep = options.rotation?.keep;
    this.now = options.now ?? Date.now;
    const stat = fstatSync(fd);
    this.fileBytes = stat.size;
    // A file left by an earlier run rotates at the first write after its own period ended.
    this.nextRotation = nextBoundary(stat.size > 0 ? stat.mtimeMs : this.now(), this.frequency);
    process.nextTick(() => this.emit('ready'));
  }

  /** Accepts one line (pino's destination contract); false once `end()` was called. */
  write(line: string): boolean {
    if (this.ending) return false;
    if (this.sync) {
      this.writeNow(line);
      return true;
    }
    this.pending += line;
    // Characters never outnumber bytes: the size is surely reached once they reach it.
    if (this.pending.length >= this.chunk || this.fileBytes + this.pending.length >= this.limit) {
      this.seal();
      this.pump();
    }
    return true;
  }

  /**
   * Starts writing what is buffered; `cb` runs once every line accepted so far is written to the
   * file (no fsync), with the last write error if one of them could not be.
   */
  flush(cb?: (error?: Error) => void): void {
    if (!this.sync) {
      this.seal();
      this.pump();
    }
    if (!cb) return;
    if (this.settled >= this.accepted) process.nextTick(cb);
    else this.waiters.push({ until: this.accepted, failures: this.failures, cb });
  }

  /**
   * Writes everything buffered synchronously (for process exit). Buffers already handed to the
   * thread pool are left to it.
   */
  flushSync(): void {
    if (this.sync) return;
    this.seal();
    for (const chunk of this.queue.splice(this.inFlight)) {
      if (chunk === ROTATE) this.rotate();
      else this.settle(this.writeAllSync(chunk));
    }
  }

  /** Writes what is buffered, closes the file and emits 'close'; later lines are refused. */
  end(): void {
    if (this.ending) return;
    this.ending = true;
    this.seal();
    this.pump();
  }

  /**
   * Encodes the pending lines into a chunk and queues it, after a rotation if the period ended and
   * followed by one if the file reached its size. Starts no write (flushSync relies on that).
   */
  private seal(): void {
    if (this.pending.length === 0) return;
    const chunk = this.encode(this.pending);
    this.pending = '';
    if (this.now() >= this.nextRotation) {
      this.nextRotation = nextBoundary(this.now(), this.frequency);
      if (this.fileBytes > 0) this.queue.push(ROTATE);
      this.fileBytes = 0;
    }
    this.enqueue(chunk);
    this.fileBytes += chunk.length;
    if (this.fileBytes < this.limit) return;
    this.queue.push(ROTATE);
    this.fileBytes = 0;
  }

  /**
   * The UTF-8 bytes of `text`, in a spare buffer when they fit. utf8Write stops short only within
   * the last 3 bytes of the buffer (a character takes at most 4), so a shorter result is all of it.
   */
  private encode(text: string): Buffer {
    if (text.length <= this.size - 4) {
      const buffer = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.size);
      const bytes = buffer.write(text, 0);
      if (bytes <= this.size - 4) return buffer.subarray(0, bytes);
      this.spare.push(buffer);
    }
    return Buffer.from(text);
  }

  private enqueue(chunk: Buffer): void {
    this.queue.push(chunk);
    this.accepted += chunk.length;
  }

  /**
   * Starts the next write unless one is in flight: every buffer queued before the next rotation,
   * in one fs.writev when there are several. Runs rotations; closes once ended and empty.
   */
  private pump(): void {
    while (this.inFlight === 0) {
      const chunk = this.queue[0];
      if (chunk === undefined) {
        if (this.ending) this.finish();
        return;
      }
      if (chunk === ROTATE) {
        this.queue.shift();
        this.rotate();
        continue;
      }
      const cause = this.fd < 0 ? this.reopen() : undefined;
      if (cause) {
        this.queue.shift();
        this.lose(chunk.length, cause);
        continue;
      }
      let count = 1;
      while (count < MAX_BATCH && this.queue[count] !== undefined && this.queue[count] !== ROTATE) count++;
      this.inFlight = count;
      if (count === 1) writeAsync(this.fd, chunk, 0, chunk.length, null, this.written);
      else writevAsync(this.fd, this.queue.slice(0, count) as Buffer[], null, this.written);
    }
  }

  /** A write ended: written buffers are reused, a partly written one goes back to the head. */
  private readonly written = (error: NodeJS.ErrnoException | null, bytes: number): void => {
    const batch = this.queue.splice(0, this.inFlight) as Buffer[];
    this.inFlight = 0;
    if (error) {
      if (error.code === 'EBADF') this.fd = -1;
      this.lose(totalLength(batch), error);
    } else {
      let left = bytes;
      for (let i = 0; i < batch.length; i++) {
        const chunk = batch[i] as Buffer;
        if (left < chunk.length) {
          this.queue.unshift(chunk.subarray(left), ...batch.slice(i + 1));
          break;
        }
        left -= chunk.length;
        this.recycle(chunk);
      }
      this.settle(bytes);
    }
    this.pump();
  };

  private recycle(chunk: Buffer): void {
    if (this.spare.length >= SPARE_BUFFERS || chunk.byteOffset !== 0 || chunk.buffer.byteLength !== this.size) return;
    this.spare.push(Buffer.from(chunk.buffer, 0, this.size));
  }

  /** `bytes` more of the accepted bytes are written or lost: wakes the flushes they complete. */
  private settle(bytes: number): void {
    this.settled += bytes;
    while (this.waiters.length > 0 && (this.waiters[0] as Waiter).until <= this.settled) {
      const waiter = this.waiters.shift() as Waiter;
      waiter.cb(waiter.failures === this.failures ? undefined : this.lastError);
    }
  }

  /** `bytes` accepted bytes could not be written: counted as settled and reported. */
  private lose(bytes: number, cause: unknown): void {
    this.failures++;
    this.lastError = new Error(`${bytes} bytes of log lines could not be written to ${this.file}: ${asError(cause).message}`, { cause });
    this.settle(bytes);
    this.report(this.lastError);
  }

  private report(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  /** Opens the file again after a rotation or a lost descriptor; the error when it cannot. */
  private reopen(): Error | undefined {
    try {
      this.fd = openSync(this.file, 'a');
      return undefined;
    } catch (e) {
      return asError(e);
    }
  }

  /** Closes the current file, shifts the rotated names, opens a new file. */
  private rotate(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch (e) {
        this.report(new Error(`cannot close ${this.file} for rotation: ${asError(e).message}`, { cause: e }));
      }
      this.fd = -1;
    }
    try {
      shiftRotated(this.file, this.keep);
    } catch (e) {
      this.report(new Error(`cannot rotate ${this.file}: ${asError(e).message}`, { cause: e }));
    }
    const cause = this.reopen();
    if (cause) this.report(new Error(`cannot open ${this.file} after rotation: ${cause.message}`, { cause }));
  }

  /** Sync mode: one line, written now; rotation checked per line. */
  private writeNow(line: string): void {
    if (this.now() >= this.nextRotation) {
      this.nextRotation = nextBoundary(this.now(), this.frequency);
      if (this.fileBytes > 0) {
        this.rotate();
        this.fileBytes = 0;
      }
    }
    const bytes = this.writeAllSync(Buffer.from(line));
    this.fileBytes += bytes;
    if (this.fileBytes < this.limit) return;
    this.rotate();
    this.fileBytes = 0;
  }

  /** Writes a whole chunk with fs.writeSync; returns its length (written or reported lost). */
  private writeAllSync(chunk: Buffer): number {
    const cause = this.fd < 0 ? this.reopen() : undefined;
    if (cause) {
      this.lose(chunk.length, cause);
      return 0;
    }
    let done = 0;
    try {
      while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done);
      return done;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EBADF') this.fd = -1;
      this.lose(chunk.length - done, e);
      return done;
    }
  }

  /** Closes the file once everything is written and emits 'close'. */
  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    const fd = this.fd;
    this.fd = -1;
    if (fd < 0) {
      process.nextTick(() => this.emit('close'));
      return;
    }
    closeAsync(fd, (error) => {
      if (error) this.report(error);
      this.emit('close');
    });
  }
}
