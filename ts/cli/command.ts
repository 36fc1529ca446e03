/**
 * The shape of one command of the CLI and its help handling. A command parses its own
 * arguments, does its work and returns its exit code or a CliError; it never calls
 * process.exit (only a second signal to `serve` does), so main.ts decides how the process ends.
 */
import { ok } from '../core/result.js';
import { type OptionSpec, type ParsedArgs, parseCommandArgs } from './args.js';
import { type CommandResult, EXIT } from './cli-error.js';
import { printLine } from './output.js';

/** One command: `messaging <name> ...`. */
export interface Command {
  readonly name: string;
  /** One line for the command list of `messaging --help`. */
  readonly summary: string;
  /** The full `messaging <name> --help` text. */
  readonly help: string;
  run(argv: readonly string[]): Promise<CommandResult>;
}

/** Parses `argv` with `options`; prints `help` and stops on `--help`; else runs `body`. */
export async function withArgs(
  argv: readonly string[],
  options: OptionSpec,
  help: string,
  body: (args: ParsedArgs) => Promise<CommandResult> | CommandResult,
): Promise<CommandResult> {
  const args = parseCommandArgs(argv, options);
  if (args.isErr()) return args;
  if (args.value.values.help === true) {
    printLine(help);
    return ok(EXIT.OK);
  }
  return body(args.value);
}
