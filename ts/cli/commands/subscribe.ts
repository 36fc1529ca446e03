/**
 * `messaging subscribe <pattern>`: prints every message the pattern matches as one JSON line on
 * stdout until SIGINT/SIGTERM (exit 0) or `--count N` messages. It never prints anything but
 * messages on stdout, so its output can be piped; notices go to stderr.
 */
import { err, ok } from '../../core/result.js';
import type { MessagingError } from '../../core/errors.js';
import { CONFIG_HELP, CONFIG_OPTIONS, flag, intOption } from '../args.js';
import { BROKER_HELP, BROKER_OPTIONS, connectBroker } from '../broker-connection.js';
import { CliError, type CommandResult, EXIT, fromMessagingError, usageError } from '../cli-error.js';
import { loadCliConfig } from '../cli-config.js';
import { type Command, withArgs } from '../command.js';
import { deferred } from '../deferred.js';
import { formatMessage } from '../message-io.js';

const HELP = `Usage: messaging subscribe <pattern> [options]

Prints each message matching <pattern> as one JSON line on stdout: the lossless type-tagged
form (docs/WIRE_FORMAT.md), or with --json a plain form {topic, id, type, timestamp, ...,
body: {...}}. Patterns follow AMQP topic rules: * is one word, # zero or more words.

  messaging subscribe 'user.#'
  messaging subscribe 'orders.*.created' --json --count 1

Options:
      --json            plain JSON lines instead of the lossless form
  -n, --count <N>       exit after N messages
${BROKER_HELP}
${CONFIG_HELP}

Runs until interrupted (Ctrl-C / SIGTERM), then exits 0.
Exit codes: 0 done, 1 failed, 2 usage or configuration error, 3 broker unreachable or lost.`;

const OPTIONS = { ...CONFIG_OPTIONS, ...BROKER_OPTIONS, json: { type: 'boolean' }, count: { type: 'string', short: 'n' } } as const;

/** The subscribe command. */
export const command: Command = {
  name: 'subscribe',
  summary: 'print messages matching a pattern',
  help: HELP,
  run: (argv) =>
    withArgs(argv, OPTIONS, HELP, async (args) => {
      const [pattern, ...extra] = args.positionals;
      if (pattern === undefined) return usageError("subscribe needs a pattern: messaging subscribe 'user.#'");
      if (extra.length > 0) return usageError(`unexpected argument ${JSON.stringify(extra[0])}`);
      const count = intOption(args, 'count', 1, Number.MAX_SAFE_INTEGER);
      if (count.isErr()) return count;
      const loaded = loadCliConfig(args);
      if (loaded.isErr()) return loaded;
      const plain = flag(args, 'json');

      const done = deferred<CommandResult>();
      const finish = done.resolve;
      const onError = (e: MessagingError) => {
        if (/gave up reconnecting/.test(e.message)) finish(err(new CliError(EXIT.UNREACHABLE, `lost the broker: ${e.message}`)));
        else process.stderr.write(`messaging: ${e.message}${/lost/.test(e.message) ? '; reconnecting' : ''}\n`);
      };
      const connected = await connectBroker(loaded.value.config, args, { persistent: true, onError });
      if (connected.isErr()) return connected;
      const { client, url } = connected.value;
      let seen = 0;
      const subscribed = await client.subscribe(pattern, (message) => {
        if (count.value !== undefined && seen >= count.value) return;
        seen++;
        process.stdout.write(`${formatMessage(message, plain)}\n`);
        if (count.value !== undefined && seen >= count.value) finish(ok(EXIT.OK));
      });
      if (subscribed.isErr()) {
        await client.close();
        return err(fromMessagingError(subscribed.error, `cannot subscribe to "${pattern}" on ${url}`));
      }
      process.stderr.write(`subscribed to "${pattern}" on ${url}\n`);
      const stop = () => finish(ok(EXIT.OK));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const result = await done.promise;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await client.close();
      await new Promise<void>((resolve) => (process.stdout.writableNeedDrain ? process.stdout.once('drain', resolve) : resolve()));
      return result;
    }),
};
