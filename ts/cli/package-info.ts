/**
 * The package's version, its root directory and the native core's version, for `--version`,
 * `doctor` and `bench`. It reads package.json; it never loads anything else from disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeVersion } from '../version.js';

/** The directory holding the package.json of messaging-system (from ts/cli or dist/cli). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    dir = dirname(dir);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

/** The package version from package.json. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The native core's version, or null when the addon is not available. */
export function nativeVersionOrNull(): string | null {
  return nativeVersion().unwrapOr(null);
}

/** `messaging-system 0.1.0 (native core 0.1.0)`. */
export function versionLine(): string {
  const native = nativeVersionOrNull() ?? 'unavailable (run "npm run build")';
  return `messaging-system ${packageVersion()} (native core ${native})`;
}
