#!/usr/bin/env node
/**
 * The `messaging` command line: finds the command, runs it and turns its outcome into an exit
 * code, printing a failure as ONE line `messaging: <what went wrong>` on stderr (configuration
 * errors add one indented line per error). Commands load lazily, so `--help` needs neither the
 * native addon nor a database. It never prints a stack trace for an expected failure.
 */
import { type Result, ok } from '../core/result.js';
import { type CliError, type ExitCode, EXIT } from './cli-error.js';
import type { Command } from './command.js';

/** Every command, loaded on use. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  serve: { summary: 'run the broker with persistence, metrics and config watch', load: () => import('./commands/serve.js') },
  publish: { summary: 'publish one message: publish <topic> [json]', load: () => import('./commands/publish.js') },
  subscribe: { summary: 'print messages matching a pattern as JSON lines', load: () => import('./commands/subscribe.js') },
  request: { summary: 'send a request and print the reply', load: () => import('./commands/request.js') },
  migrate: { summary: 'database migrations: migrate up|down|status', load: () => import('./commands/migrate.js') },
  dlq: { summary: 'dead letters: dlq list|replay|purge', load: () => import('./commands/dlq.js') },
  config: { summary: 'configuration: config validate [path] | config print', load: () => import('./commands/config.js') },
  doctor: { summary: 'check the native core, config, database and port', load: () => import('./commands/doctor.js') },
  bench: { summary: 'run benchmark suites: bench [suite...] [--quick]', load: () => import('./commands/bench.js') },
  version: { summary: 'print the package and native core versions', load: () => import('./commands/version.js') },
};

/** The text of `messaging --help`. */
export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const list = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `Usage: messaging <command> [options]

Commands:
${list}

Run "messaging <command> --help" for the options of a command.

Options:
  -h, --help     show this help
  -v, --version  print the version

Exit codes: 0 success, 1 failure, 2 usage or configuration error, 3 broker or database unreachable.`;
}

function report(error: CliError): ExitCode {
  const lines = [`messaging: ${error.message}`, ...error.details.map((d) => `  ${d}`)];
  process.stderr.write(`${lines.join('\n')}\n`);
  return error.exitCode;
}

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<Result<ExitCode, never>> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    if (first === 'help' && rest[0] && rest[0] in COMMANDS) return main([rest[0], '--help']);
    process.stdout.write(`${usage()}\n`);
    return ok(EXIT.OK);
  }
  if (first === '-v' || first === '--version') {
    const { versionLine } = await import('./package-info.js');
    process.stdout.write(`${versionLine()}\n`);
    return ok(EXIT.OK);
  }
  if (first.startsWith('-')) {
    return ok(report({ exitCode: EXIT.USAGE, message: `unknown option '${first}' (the command comes first; see messaging --help)`, details: [] }));
  }
  const entry = COMMANDS[first];
  if (!entry) return ok(report({ exitCode: EXIT.USAGE, message: `unknown command "${first}" (see messaging --help)`, details: [] }));
  const { command } = await entry.load();
  const outcome = await command.run(rest);
  return ok(outcome.isOk() ? outcome.value : report(outcome.error));
}

process.exitCode = (await main(process.argv.slice(2))).unwrapOr(EXIT.FAILURE);
