/**
 * messaging-system: the public API. Every export returns `Result` and never throws
 * (except `Result.unwrap`, meant for tests and the legacy layer).
 */
export * from './core/index.js';
export { nativeVersion, crc32c } from './version.js';
export * from './message/index.js';
export * from './router/index.js';
export * from './config/index.js';
export * from './observability/index.js';
export * from './network/index.js';
export * from './persistence/index.js';
export * from './executor/index.js';
export * from './bus/index.js';
