/**
 * Optional in-process peers of the bus and executor suites, loaded by name when installed
 * (mqemitter, piscina). A missing peer is reported and left out; it never fails the suite.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The module `name` if it is installed, else undefined (with a note on stderr). */
export function optionalPeer<T>(name: string): T | undefined {
  try {
    return require(name) as T;
  } catch {
    process.stderr.write(`peer ${name} is not installed; its figures are left out (npm i -D ${name})\n`);
    return undefined;
  }
}

/** The part of mqemitter the suites use. */
export interface MqEmitter {
  on(topic: string, handler: (message: { topic: string }, done: () => void) => void, done?: () => void): unknown;
  emit(message: { topic: string; [key: string]: unknown }, done?: (err?: unknown) => void): unknown;
  close(done?: () => void): void;
}

/** mqemitter's factory. */
export type MqEmitterFactory = (options?: { concurrency?: number; matchEmptyLevels?: boolean }) => MqEmitter;
