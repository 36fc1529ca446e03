/**
 * Finds and loads the configuration a command runs with: `--config <path>`, else
 * config/messaging_system.yaml in the current directory when it exists, else the built-in
 * defaults; then the environment and `--set` overrides, validated as the file is. It reads files
 * only; it never writes them and never prints.
 */
import { existsSync } from 'node:fs';
import { type Result, err, ok } from '../core/result.js';
import { DEFAULT_CONFIG_PATH, loadConfigWithSources } from '../config/load-config.js';
import type { LoadedConfig } from '../config/types.js';
import { type ParsedArgs, listOption, stringOption } from './args.js';
import { type CliError, fromMessagingError } from './cli-error.js';

/** The file a command reads: the `--config` path, the default file when present, or none. */
export function configPathFor(args: ParsedArgs): string | undefined {
  const given = stringOption(args, 'config');
  if (given !== undefined) return given;
  return existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : undefined;
}

/** The configuration of a command, with where each value came from; CONFIG_ERROR becomes exit 2. */
export function loadCliConfig(args: ParsedArgs, explicitPath?: string): Result<LoadedConfig, CliError> {
  const path = explicitPath ?? configPathFor(args);
  const loaded = loadConfigWithSources(path, { set: listOption(args, 'set') });
  if (loaded.isErr()) return err(fromMessagingError(loaded.error));
  return ok(loaded.value);
}
