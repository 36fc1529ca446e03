/**
 * Connecting the client commands (publish, subscribe, request) to the broker: the `--url`
 * option, its default from the configuration (tcp://127.0.0.1:<network.server.port>, tls:// when
 * the broker has TLS on) and the connect call, whose failure says the broker is unreachable
 * (exit 3). It never retries a first connect; a lost connection of a running subscriber is the
 * client's to retry.
 */
import { readFileSync } from 'node:fs';
import { ErrorCode } from '../core/error-codes.js';
import type { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import type { MessagingSystemConfig } from '../config/types.js';
import { MessagingClient, type MessagingClientOptions } from '../network/client.js';
import { type ParsedArgs, stringOption } from './args.js';
import { CliError, EXIT } from './cli-error.js';

/** Options of the client commands. */
export const BROKER_OPTIONS = {
  url: { type: 'string', short: 'u' },
  ca: { type: 'string' },
} as const;

/** Help lines of BROKER_OPTIONS. */
export const BROKER_HELP = `  -u, --url <url>       broker to connect to (default tcp://127.0.0.1:<network.server.port>,
                        tls:// when network.server.tls.enabled)
      --ca <path>       CA certificate (PEM) that signed the broker's certificate, for tls://`;

/** The broker URL of a client command. */
export function brokerUrl(config: MessagingSystemConfig, args: ParsedArgs): string {
  const given = stringOption(args, 'url');
  if (given !== undefined) return given;
  const server = config.network.server;
  const host = server.host === '0.0.0.0' || server.host === '::' || server.host === '' ? '127.0.0.1' : server.host;
  const scheme = server.tls.enabled ? 'tls' : 'tcp';
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${server.port}`;
}

/** Connects to the broker of a client command; `persistent` clients reconnect as configured. */
export async function connectBroker(
  config: MessagingSystemConfig,
  args: ParsedArgs,
  options: { persistent: boolean; onError?: (error: MessagingError) => void },
): Promise<Result<{ client: MessagingClient; url: string }, CliError>> {
  const url = brokerUrl(config, args);
  const client = config.network.client;
  const ca = stringOption(args, 'ca');
  let tls: MessagingClientOptions['tls'];
  if (ca !== undefined) {
    try {
      tls = { ca: readFileSync(ca) };
    } catch (e) {
      return err(new CliError(EXIT.USAGE, `--ca ${ca}: ${(e as Error).message}`));
    }
  }
  const connected = await MessagingClient.connect(url, {
    name: 'messaging-cli',
    timeoutMs: client.timeout_ms,
    retryAttempts: options.persistent ? client.retry_attempts : 0,
    reconnect: { initialMs: client.reconnect.initial_ms, maxMs: client.reconnect.max_ms },
    offlineQueueLimit: options.persistent ? client.offline_queue_limit : 0,
    ...(tls ? { tls } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  if (connected.isErr()) {
    const e = connected.error;
    if (e.code === ErrorCode.INVALID_ARGUMENT) return err(new CliError(EXIT.USAGE, `--url: ${e.message}`));
    if (/certificate|self[- ]signed|unable to verify|SSL|TLS|handshake/i.test(e.message)) {
      return err(new CliError(EXIT.FAILURE, `cannot connect to ${url}: ${e.message} (pass the CA that signed the broker's certificate with --ca)`));
    }
    const unreachable = e.code === ErrorCode.NETWORK_ERROR || e.code === ErrorCode.TIMEOUT || e.code === ErrorCode.CONNECTION_CLOSED;
    return err(
      new CliError(unreachable ? EXIT.UNREACHABLE : EXIT.FAILURE, `cannot connect to ${url}: ${e.message}${unreachable ? ' (is "messaging serve" running?)' : ''}`),
    );
  }
  return ok({ client: connected.value, url });
}
