/**
 * The outcome of a command: exit codes and the error a command returns instead of printing it.
 * main.ts turns a CliError into `messaging: <message>` on stderr (plus its detail lines) and its
 * exit code. This module only describes outcomes; it never writes output or exits the process.
 */
import { ErrorCode } from '../core/error-codes.js';
import type { MessagingError } from '../core/errors.js';
import { type Result, err } from '../core/result.js';

/** Exit codes of every command (docs/CLI.md). */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** The command ran and failed (a check failed, a timeout, a database error, a port in use). */
  FAILURE: 1,
  /** The command line or the configuration is invalid; nothing was done. */
  USAGE: 2,
  /** The broker or the database could not be reached. */
  UNREACHABLE: 3,
} as const;

/** An exit code of the CLI. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure to report: one line, optional detail lines (every config error), an exit code. */
export class CliError {
  constructor(
    readonly exitCode: ExitCode,
    readonly message: string,
    readonly details: readonly string[] = [],
  ) {}
}

/** What a command returns: its exit code, or the failure to report. */
export type CommandResult = Result<ExitCode, CliError>;

/** A usage error (exit 2). */
export function usageError(message: string): CommandResult {
  return err(new CliError(EXIT.USAGE, message));
}

/** A failure (exit 1). */
export function failure(message: string): CommandResult {
  return err(new CliError(EXIT.FAILURE, message));
}

/** Codes that mean the other side could not be reached. */
const UNREACHABLE_CODES: ReadonlySet<number> = new Set([ErrorCode.NETWORK_ERROR, ErrorCode.CONNECTION_CLOSED]);

/**
 * A CliError for a MessagingError: CONFIG_ERROR and INVALID_ARGUMENT exit 2 (with every config
 * issue as a detail line), an unreachable broker or database 3, anything else 1. `context`
 * prefixes the message (`cannot connect to tcp://127.0.0.1:8080`).
 */
export function fromMessagingError(error: MessagingError, context?: string): CliError {
  const [first = '', ...rest] = error.message.split('\n');
  const message = context ? `${context}: ${first}` : first;
  const details = rest.map((line) => line.trim()).filter((line) => line !== '');
  if (error.code === ErrorCode.CONFIG_ERROR || error.code === ErrorCode.INVALID_ARGUMENT || error.code === ErrorCode.INVALID_MESSAGE) {
    return new CliError(EXIT.USAGE, message, details);
  }
  if (UNREACHABLE_CODES.has(error.code)) return new CliError(EXIT.UNREACHABLE, message, details);
  return new CliError(EXIT.FAILURE, message, details);
}
