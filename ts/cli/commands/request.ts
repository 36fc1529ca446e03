/**
 * `messaging request <topic> [json]`: sends a request and prints the reply as one JSON line;
 * no reply within `--timeout` ms is a failure (exit 1). It never sends the request twice.
 */
import { ErrorCode } from '../../core/error-codes.js';
import { err, ok } from '../../core/result.js';
import { CONFIG_HELP, CONFIG_OPTIONS, flag, intOption } from '../args.js';
import { BROKER_HELP, BROKER_OPTIONS, connectBroker } from '../broker-connection.js';
import { CliError, EXIT, fromMessagingError } from '../cli-error.js';
import { type Command, withArgs } from '../command.js';
import { formatMessage } from '../message-io.js';
import { MESSAGE_HELP, MESSAGE_OPTIONS, outgoingMessage } from '../message-options.js';

const HELP = `Usage: messaging request <topic> [json] [options]

Sends a request (type query unless --message-type says otherwise) and prints the reply as one
JSON line: the lossless form, or the plain form with --json. The body is typed as for publish.

  messaging request math.add '{"a":1,"b":2}' --timeout 2000

Options:
      --timeout <ms>    how long to wait for the reply (default network.client.timeout_ms)
      --json            the reply in the plain form
${MESSAGE_HELP}
${BROKER_HELP}
${CONFIG_HELP}

Exit codes: 0 replied, 1 no reply in time or failed, 2 usage or configuration error,
3 broker unreachable.`;

const OPTIONS = { ...CONFIG_OPTIONS, ...BROKER_OPTIONS, ...MESSAGE_OPTIONS, timeout: { type: 'string' }, json: { type: 'boolean' } } as const;

/** The request command. */
export const command: Command = {
  name: 'request',
  summary: 'send a request and print the reply',
  help: HELP,
  run: (argv) =>
    withArgs(argv, OPTIONS, HELP, async (args) => {
      const outgoing = outgoingMessage(args, 'request');
      if (outgoing.isErr()) return outgoing;
      const { topic, loaded, message } = outgoing.value;
      const timeout = intOption(args, 'timeout', 1, 86_400_000, loaded.config.network.client.timeout_ms);
      if (timeout.isErr()) return timeout;
      const connected = await connectBroker(loaded.config, args, { persistent: false });
      if (connected.isErr()) return connected;
      const { client, url } = connected.value;
      const reply = await client.request(message, { timeoutMs: timeout.value as number });
      await client.close();
      if (reply.isErr()) {
        if (reply.error.code === ErrorCode.TIMEOUT) return err(new CliError(EXIT.FAILURE, `${reply.error.message} (is anything answering "${topic}"?)`));
        return err(fromMessagingError(reply.error, `request to ${url} failed`));
      }
      process.stdout.write(`${formatMessage(reply.value, flag(args, 'json'))}\n`);
      return ok(EXIT.OK);
    }),
};
