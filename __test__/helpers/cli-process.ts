/**
 * Running the `messaging` CLI as a child process in the specs: one-shot runs with their exit
 * code and output, long-running children (serve, subscribe) whose output lines can be awaited,
 * free ports and temporary directories. The children run from a temp directory with no
 * MESSAGING_* variables, so no repository file or environment leaks into a test.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { openPostgres } from '../../ts/persistence/index.js';

/** The CLI's entry point in the source tree. */
export const CLI = fileURLToPath(new URL('../../ts/cli/main.ts', import.meta.url));

/** The compiled entry point (`npm run build`). */
export const CLI_DIST = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** The tsx loader, by absolute URL so children may run from any directory. */
export const TSX = import.meta.resolve('tsx');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function distIsCurrent(): boolean {
  try {
    return statSync(CLI_DIST).mtimeMs >= newestSource(fileURLToPath(new URL('../../ts', import.meta.url)));
  } catch {
    return false;
  }
}

/**
 * How the specs start the CLI: the compiled dist when it is newer than every source file (it
 * starts four times faster), else the sources through tsx.
 */
export const CLI_ARGS: readonly string[] = distIsCurrent() ? [CLI_DIST] : ['--import', TSX, CLI];

/** The Postgres of the tests. */
export const TEST_DATABASE_URL = process.env.MESSAGING_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** With CI=true an unreachable Postgres is a failure, never a skip. */
export const POSTGRES_REQUIRED = process.env.CI === 'true';

/** The environment of a child: ours without configuration overrides. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MESSAGING_')) env[k] = v;
  return { ...env, ...extra };
}

/** The outcome of a finished run. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of a run. */
export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Kill the child after this many ms (default 60 000). */
  timeoutMs?: number;
  /** The script to run instead of the CLI of this tree. */
  script?: string;
}

/** A running child with its output so far. */
export interface CliChild {
  readonly process: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout/stderr text matching `pattern`; rejects at exit or after `ms`. */
  waitFor(pattern: RegExp, ms?: number, stream?: 'stdout' | 'stderr'): Promise<RegExpExecArray>;
  /** Resolves when the child has exited. */
  exited: Promise<RunResult>;
}

/** Starts `messaging <args>` and returns it running. */
export function startCli(args: readonly string[], options: RunOptions): CliChild {
  const entry = options.script ? ['--import', TSX, options.script] : CLI_ARGS;
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: options.cwd,
    env: childEnv(options.env),
  });
  let out = '';
  let errText = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of listeners) l();
  };
  child.stdout.on('data', (d: string) => {
    out += d;
    notify();
  });
  child.stderr.on('data', (d: string) => {
    errText += d;
    notify();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const exited = new Promise<RunResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      notify();
      resolve({ code, signal, stdout: out, stderr: errText });
    });
  });
  let done = false;
  void exited.then(() => {
    done = true;
    notify();
  });
  return {
    process: child,
    stdout: () => out,
    stderr: () => errText,
    exited,
    waitFor(pattern, ms = 30_000, stream) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const text = stream === 'stdout' ? out : stream === 'stderr' ? errText : `${out}\n${errText}`;
          const m = pattern.exec(text);
          if (m) {
            cleanup();
            resolve(m);
          } else if (done) {
            cleanup();
            reject(new Error(`exited before ${pattern} appeared\nstdout: ${out}\nstderr: ${errText}`));
          }
        };
        const t = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}\nstdout: ${out}\nstderr: ${errText}`));
        }, ms);
        const cleanup = () => {
          clearTimeout(t);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Runs `messaging <args>` to the end. */
export function runCli(args: readonly string[], options: RunOptions): Promise<RunResult> {
  return startCli(args, options).exited;
}


/** A new empty temporary directory and the function that removes it. */
export function tempDir(prefix = 'messaging-cli-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export { freePort } from './ports.js';

/**
 * A temp working dir and a Postgres schema name for one spec file; both are removed after the
 * file's tests (the schema with DROP SCHEMA … CASCADE, when Postgres answers).
 */
export function scratch(prefix: string): { cwd: string; schema: string } {
  const tmp = tempDir();
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  test.after.always(async () => {
    tmp.remove();
    const db = await openPostgres(TEST_DATABASE_URL, { min: 1, max: 1 });
    if (db.isOk()) {
      await db.value.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.value.close();
    }
  });
  return { cwd: tmp.dir, schema };
}
