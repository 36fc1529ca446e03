/**
 * The lock file that says which process has a PGlite data directory open. PGlite lives inside
 * one process and does not guard its directory against a second one, so `serve` takes this lock
 * and `migrate`, `dlq` and `doctor` check it instead of opening the files under a running
 * broker. It never deletes a lock held by a live process.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Result, err, ok } from '../core/result.js';
import { CliError, EXIT } from './cli-error.js';

const LOCK_NAME = 'messaging-serve.pid';

function lockPath(dataDir: string): string {
  return join(resolve(dataDir), LOCK_NAME);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the live process holding `dataDir`, if any (a stale lock counts as none). */
export function lockHolder(dataDir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
}

/** The error of a command that needs `dataDir` while the broker `pid` has it open. */
export function lockedError(dataDir: string, pid: number): CliError {
  return new CliError(
    EXIT.FAILURE,
    `the PGlite database in ${dataDir} is open in a running broker (pid ${pid}); stop it first, or use Postgres (database.url) to share the database between processes`,
  );
}

/** Takes the lock of `dataDir` for this process; returns the function that releases it. */
export function acquireLock(dataDir: string): Result<() => void, CliError> {
  const holder = lockHolder(dataDir);
  if (holder !== undefined) return err(lockedError(dataDir, holder));
  const path = lockPath(dataDir);
  try {
    mkdirSync(resolve(dataDir), { recursive: true });
    writeFileSync(path, `${process.pid}\n`);
  } catch (e) {
    return err(new CliError(EXIT.FAILURE, `cannot write ${path}: ${(e as Error).message}`));
  }
  return ok(() => {
    try {
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
    } catch {
      // already gone
    }
  });
}
