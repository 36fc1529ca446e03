/**
 * `messaging config validate [path]` and `messaging config print`: check a configuration (every
 * error listed, exit 2) and show the effective configuration with where each value came from.
 * It only reads; it never writes a configuration file, and it masks passwords in URLs.
 */
import { ok } from '../../core/result.js';
import { maskUrlPassword, formatEffectiveConfig } from '../../config/load-config.js';
import { CONFIG_HELP, CONFIG_OPTIONS, type ParsedArgs, flag } from '../args.js';
import { EXIT, type CommandResult, usageError } from '../cli-error.js';
import { configPathFor, loadCliConfig } from '../cli-config.js';
import { type Command, withArgs } from '../command.js';
import { printJson, printLine } from '../output.js';

const HELP = `Usage: messaging config validate [path] [options]
       messaging config print [options]

validate  checks the file (default as --config) with the environment and --set overrides;
          prints "<file>: valid" or every error with its key path and line, exit 2.
print     prints the effective configuration, one "key = value  # source" line per key
          (source: default, file:line, env VARIABLE or --set); passwords in URLs are masked.

Options:
      --json            validate: {"valid", "file", "errors": [...]}; print: the effective
                        configuration as JSON in the file's shape
${CONFIG_HELP}

Environment variables override the file: MESSAGING_NETWORK__SERVER__PORT=9000 sets
network.server.port (double underscore = one level down).
Exit codes: 0 valid, 2 invalid configuration or usage error.`;

const OPTIONS = { ...CONFIG_OPTIONS, json: { type: 'boolean' } } as const;

function maskSecrets(value: unknown): unknown {
  if (typeof value === 'string') return maskUrlPassword(value);
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v)]));
  }
  return value;
}

function validate(args: ParsedArgs, path: string | undefined): CommandResult {
  const file = path ?? configPathFor(args);
  const loaded = loadCliConfig(args, file);
  const json = flag(args, 'json');
  if (loaded.isErr()) {
    if (!json) return loaded;
    printJson({ valid: false, file: file ?? null, errors: [loaded.error.message, ...loaded.error.details] });
    return ok(EXIT.USAGE);
  }
  if (json) printJson({ valid: true, file: file ?? null, errors: [] });
  else printLine(`${file ?? 'built-in defaults'}: valid`);
  return ok(EXIT.OK);
}

function print(args: ParsedArgs): CommandResult {
  const loaded = loadCliConfig(args);
  if (loaded.isErr()) return loaded;
  if (flag(args, 'json')) printJson(maskSecrets(loaded.value.config));
  else {
    printLine(`# effective configuration (${loaded.value.file ?? 'no file: built-in defaults'})`);
    printLine(formatEffectiveConfig(loaded.value));
  }
  return ok(EXIT.OK);
}

/** The config command. */
export const command: Command = {
  name: 'config',
  summary: 'validate or print the configuration',
  help: HELP,
  run: (argv) =>
    withArgs(argv, OPTIONS, HELP, (args) => {
      const [action, path, ...extra] = args.positionals;
      if (extra.length > 0 || (action === 'print' && path !== undefined)) {
        return usageError(`unexpected argument ${JSON.stringify(extra[0] ?? path)} (see messaging config --help)`);
      }
      if (action === 'validate') return validate(args, path);
      if (action === 'print') return print(args);
      return usageError(action === undefined ? 'config needs an action: validate or print' : `unknown config action "${action}" (expected validate or print)`);
    }),
};
