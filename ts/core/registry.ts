/**
 * ServiceRegistry: dependency injection by name (`io`, `work`, `logger`, `monitor`, `database`).
 * Parts are registered once at start-up and resolved by the parts that use them; it never
 * constructs anything itself.
 */
import { ErrorCode } from './error-codes.js';
import { MessagingError } from './errors.js';
import { type Result, err, ok } from './result.js';

/** A registry of named service instances. */
export class ServiceRegistry {
  readonly #services = new Map<string, unknown>();

  /** Registers `instance` under `name`; ALREADY_EXISTS if the name is taken. */
  register<T>(name: string, instance: T): Result<void> {
    if (typeof name !== 'string' || name.length === 0) {
      return err(new MessagingError(ErrorCode.INVALID_ARGUMENT, 'service name must be a non-empty string'));
    }
    if (this.#services.has(name)) {
      return err(new MessagingError(ErrorCode.ALREADY_EXISTS, `service "${name}" is already registered`));
    }
    this.#services.set(name, instance);
    return ok();
  }

  /** Registers or replaces `instance` under `name`. */
  replace<T>(name: string, instance: T): void {
    this.#services.set(name, instance);
  }

  /** The instance registered under `name`; NOT_FOUND names what is registered. */
  resolve<T>(name: string): Result<T> {
    if (!this.#services.has(name)) {
      const known = [...this.#services.keys()].join(', ') || 'none';
      return err(new MessagingError(ErrorCode.NOT_FOUND, `service "${name}" is not registered (registered: ${known})`));
    }
    return ok(this.#services.get(name) as T);
  }

  /** Whether a service is registered under `name`. */
  has(name: string): boolean {
    return this.#services.has(name);
  }

  /** Removes the service under `name`; NOT_FOUND if there is none. */
  unregister(name: string): Result<void> {
    if (!this.#services.delete(name)) {
      return err(new MessagingError(ErrorCode.NOT_FOUND, `service "${name}" is not registered`));
    }
    return ok();
  }

  /** The names of every registered service, in registration order. */
  names(): string[] {
    return [...this.#services.keys()];
  }
}
