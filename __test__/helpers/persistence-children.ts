/**
 * Child processes for the fault tests: spawns a TypeScript file with the tsx loader, collects its
 * JSON lines, and lets the test wait for a line or kill the child. Every child is killed by the
 * test that spawned it, on failure too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A running child and the JSON lines it printed. */
export interface Child {
  process: ChildProcess;
  lines: Record<string, unknown>[];
  /** Resolves when a printed line satisfies `match` (or rejects after `timeoutMs`). */
  waitFor(match: (line: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code or signal once the child is gone. */
  exited: Promise<number | string | null>;
}

/** Spawns `node --import tsx <file in helpers>` with `env` added to the environment. */
export function spawnChild(file: string, env: Record<string, string>): Child {
  const path = fileURLToPath(new URL(file, import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', path], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Record<string, unknown>[] = [];
  const watchers = new Set<() => void>();
  let buffered = '';
  proc.stdout?.setEncoding('utf8');
  proc.stdout?.on('data', (chunk: string) => {
    buffered += chunk;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const text = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        lines.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        lines.push({ text });
      }
      for (const w of watchers) w();
      nl = buffered.indexOf('\n');
    }
  });
  const exited = new Promise<number | string | null>((resolve) => proc.on('exit', (code, signal) => resolve(signal ?? code)));
  return {
    process: proc,
    lines,
    exited,
    waitFor(match, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (!found) return false;
          watchers.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`no matching line within ${timeoutMs} ms; lines: ${JSON.stringify(lines.slice(-5))}`));
        }, timeoutMs);
        watchers.add(check);
        void exited.then(() =>
          setTimeout(() => {
            if (watchers.has(check) && !check()) {
              watchers.delete(check);
              clearTimeout(timer);
              reject(new Error(`child exited before the line; lines: ${JSON.stringify(lines.slice(-5))}`));
            }
          }, 50),
        );
        check();
      });
    },
  };
}
