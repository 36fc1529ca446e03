/**
 * Versions of the package and of its native core, and a checksum helper that proves the addon
 * works. Returns Result; never throws.
 */
import { nativeBinding } from './core/native.js';
import type { Result } from './core/result.js';

/** The version of the native core, e.g. `0.1.0`; NATIVE_UNAVAILABLE when the addon is missing. */
export function nativeVersion(): Result<string> {
  return nativeBinding().map((binding) => binding.nativeVersion());
}

/** CRC32C (Castagnoli) of `bytes` computed by the native core. */
export function crc32c(bytes: Uint8Array): Result<number> {
  return nativeBinding().map((binding) => binding.crc32c(bytes));
}
