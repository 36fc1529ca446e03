/**
 * `messaging version`: prints the package and native core versions (as `--version` does). It
 * never fails because the native addon is missing; it says so in the line.
 */
import { ok } from '../../core/result.js';
import { EXIT } from '../cli-error.js';
import { type Command, withArgs } from '../command.js';
import { printJson, printLine } from '../output.js';
import { nativeVersionOrNull, packageVersion, versionLine } from '../package-info.js';

const HELP = `Usage: messaging version [--json]

Prints the version of the package and of its native core.

Options:
      --json      {"package": "...", "native": "..." | null}`;

/** The version command. */
export const command: Command = {
  name: 'version',
  summary: 'print the package and native core versions',
  help: HELP,
  run: (argv) =>
    withArgs(argv, { json: { type: 'boolean' } }, HELP, (args) => {
      if (args.values.json === true) {
        printJson({ package: packageVersion(), native: nativeVersionOrNull() });
      } else printLine(versionLine());
      return ok(EXIT.OK);
    }),
};
