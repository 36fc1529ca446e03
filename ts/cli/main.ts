#!/usr/bin/env node
/**
 * The `messaging` command line. Parses arguments with node:util parseArgs and dispatches to one
 * module per command; errors go to stderr in one line with a non-zero exit code.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** Exit codes of the CLI. */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

const USAGE = `Usage: messaging <command> [options]

Commands (serve, publish, subscribe, request, migrate, dlq, config, doctor, bench) are added
as their parts land; this build knows:
  version        print the package and native core versions

Options:
  -h, --help     show this help
  -v, --version  print the version

Exit codes: 0 success, 1 failure, 2 usage error.`;

/** Commands of the CLI that later versions add. */
const PLANNED = new Set(['serve', 'publish', 'subscribe', 'request', 'migrate', 'dlq', 'config', 'doctor', 'bench']);

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
    });
  } catch (e) {
    process.stderr.write(`messaging: ${(e as Error).message}\n`);
    return EXIT.USAGE;
  }
  const [command] = parsed.positionals;
  if (parsed.values.help || (!command && !parsed.values.version)) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.OK;
  }
  if (parsed.values.version || command === 'version') {
    const { nativeVersion } = await import('../version.js');
    const native = nativeVersion().unwrapOr('unavailable (run "npm run build")');
    process.stdout.write(`messaging-system ${packageVersion()} (native core ${native})\n`);
    return EXIT.OK;
  }
  if (PLANNED.has(command ?? '')) {
    process.stderr.write(`messaging: "${command}" is not available in this version yet\n`);
    return EXIT.FAILURE;
  }
  process.stderr.write(`messaging: unknown command "${command}" (see messaging --help)\n`);
  return EXIT.USAGE;
}

process.exitCode = await main(process.argv.slice(2));
