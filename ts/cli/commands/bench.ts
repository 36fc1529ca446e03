/**
 * `messaging bench [suite...] [--quick]`: runs the benchmark runner (benchmark/run.ts, in a
 * source checkout) as a child process, shows which comparison is running and how long it has
 * taken, and prints the runner's tables. Figures are reported, never judged: it never fails
 * because a number looks slow.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { err, ok } from '../../core/result.js';
import { intOption } from '../args.js';
import { CliError, EXIT, failure } from '../cli-error.js';
import { type Command, withArgs } from '../command.js';
import { packageRoot } from '../package-info.js';

const HELP = `Usage: messaging bench [suite...] [options]

Runs benchmark suites (all of them when none is named) and prints a table per suite; the
runner also writes benchmark/results/ (latest.json, latest.md, one SVG per suite). Needs a
source checkout of messaging-system with its dev dependencies (npm ci).

  messaging bench smoke --quick

Options:
      --quick           fewer and shorter rounds (a rough figure in seconds)
      --rounds <N>      rounds per comparison
      --list            print the suite names

Exit codes: 0 done, 1 the runner failed, 2 unknown suite or usage error.`;

const OPTIONS = { quick: { type: 'boolean' }, rounds: { type: 'string' }, list: { type: 'boolean' } } as const;

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Shows the running step: a spinner line on a terminal, one line per step otherwise. */
function progress(): { step(text: string): void; clear(): void } {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let current = '';
  let steps = 0;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    const seconds = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} [${steps}] ${current} ${seconds}s`);
  };
  return {
    step(text) {
      steps++;
      current = text;
      if (!tty) {
        process.stderr.write(`[${steps}] ${text}\n`);
        return;
      }
      draw();
      timer ??= setInterval(draw, 100);
    },
    clear() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (tty && steps > 0) process.stderr.write('\r\x1b[2K');
    },
  };
}

/** The bench command. */
export const command: Command = {
  name: 'bench',
  summary: 'run benchmark suites',
  help: HELP,
  run: (argv) =>
    withArgs(argv, OPTIONS, HELP, async (args) => {
      const rounds = intOption(args, 'rounds', 1, 1000);
      if (rounds.isErr()) return rounds;
      const root = packageRoot();
      const runner = join(root, 'benchmark', 'run.ts');
      if (!existsSync(runner)) return failure(`no benchmark runner at ${runner}: bench needs a source checkout of messaging-system`);
      const childArgs = ['--import', 'tsx', runner, ...args.positionals];
      if (args.values.quick === true) childArgs.push('--quick');
      if (args.values.list === true) childArgs.push('--list');
      if (rounds.value !== undefined) childArgs.push('--rounds', String(rounds.value));

      const child = spawn(process.execPath, childArgs, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      const bar = progress();
      const other: string[] = [];
      const stdoutDone = new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          bar.clear();
          process.stdout.write(chunk);
        });
        child.stdout.on('end', resolve);
      });
      const lines = createInterface({ input: child.stderr });
      lines.on('line', (line) => {
        if (line.endsWith('…')) bar.step(line.slice(0, -1));
        else other.push(line);
      });
      const code = await new Promise<number | null>((resolve) => {
        child.on('error', () => resolve(null));
        child.on('close', (c) => resolve(c));
      });
      await stdoutDone;
      bar.clear();
      if (code === 0) {
        for (const line of other) process.stderr.write(`${line}\n`);
        return ok(EXIT.OK);
      }
      const last = other.filter((l) => l.trim() !== '').at(-1) ?? 'no output';
      if (code === 2) return err(new CliError(EXIT.USAGE, last));
      return err(new CliError(EXIT.FAILURE, `the benchmark runner failed (exit ${code ?? 'on spawn'}): ${last}`, other.slice(-10, -1)));
    }),
};
