import { readFileSync } from 'node:fs';
import test from 'ava';
import { ErrorCode, crc32c, loadNative, nativeVersion, platformTriple } from '../ts/index.js';

test('the native core reports the version of crates/core', (t) => {
  const cargo = readFileSync(new URL('../crates/core/Cargo.toml', import.meta.url), 'utf8');
  const expected = /^version = "([^"]+)"/m.exec(cargo)?.[1];
  t.truthy(expected);
  t.deepEqual(nativeVersion().unwrap(), expected);
});

test('native crc32c matches the published check values', (t) => {
  t.is(crc32c(new TextEncoder().encode('123456789')).unwrap(), 0xe3069283);
  t.is(crc32c(new Uint8Array(32)).unwrap(), 0x8a9136aa);
  t.is(crc32c(new Uint8Array(32).fill(0xff)).unwrap(), 0x62a8ab43);
  t.is(crc32c(new Uint8Array(0)).unwrap(), 0);
});

test('a missing addon is NATIVE_UNAVAILABLE naming the platform and the build command', (t) => {
  const missing = loadNative('../native/not-built.cjs');
  t.true(missing.isErr());
  if (missing.isErr()) {
    t.is(missing.error.code, ErrorCode.NATIVE_UNAVAILABLE);
    t.true(missing.error.message.includes(platformTriple()));
    t.true(missing.error.message.includes('npm run build'));
  }
});
