/** The common layer: Result, errors and their codes, the service registry, the interfaces. */
export * from './result.js';
export * from './errors.js';
export * from './error-codes.js';
export * from './registry.js';
export * from './interfaces.js';
export { loadNative, nativeBinding, platformTriple, type NativeBinding } from './native.js';
