/**
 * Command-line parsing shared by every command: node:util parseArgs with the options each
 * command declares plus `--help`, and the config options (`--config`, repeated `--set`) of the
 * commands that read configuration. Parsing only: it never reads files or writes output.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Result, err, ok } from '../core/result.js';
import { CliError, EXIT } from './cli-error.js';

/** The option declarations of one command, as parseArgs takes them. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command that reads the configuration accepts. */
export const CONFIG_OPTIONS = {
  config: { type: 'string', short: 'c' },
  set: { type: 'string', multiple: true },
} as const satisfies OptionSpec;

/** Help text lines of the config options, for the usage of those commands. */
export const CONFIG_HELP = `  -c, --config <path>   configuration file (default: config/messaging_system.yaml in the
                        current directory if present, else the built-in defaults)
      --set key=value   override one key, e.g. --set network.server.port=9000 (repeatable)`;

/** Parsed arguments: values by option name and the positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** Parses `argv` against `options` (plus `--help`); an unknown option is a usage error. */
export function parseCommandArgs(argv: readonly string[], options: OptionSpec): Result<ParsedArgs, CliError> {
  try {
    const parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    });
    return ok({ values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals });
  } catch (e) {
    const message = (e as Error).message.split('\n')[0] ?? String(e);
    return err(new CliError(EXIT.USAGE, message));
  }
}

/** The string value of option `name`, if given. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** The values of a repeatable string option. */
export function listOption(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

/** Whether boolean option `name` was given. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** An integer option in [min, max], its default when absent, or a usage error naming it. */
export function intOption(args: ParsedArgs, name: string, min: number, max: number, fallback?: number): Result<number | undefined, CliError> {
  const raw = stringOption(args, name);
  if (raw === undefined) return ok(fallback);
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    return err(new CliError(EXIT.USAGE, `--${name}: expected an integer ${min}-${max}, got ${JSON.stringify(raw)}`));
  }
  return ok(n);
}
