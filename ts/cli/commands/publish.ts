/**
 * `messaging publish <topic> [json]`: sends one message to the broker, optionally waiting for
 * the broker's acknowledgement (`--ack`). It never retries a publish; a failure is reported once.
 */
import { err, ok } from '../../core/result.js';
import { CONFIG_HELP, CONFIG_OPTIONS, flag } from '../args.js';
import { BROKER_HELP, BROKER_OPTIONS, connectBroker } from '../broker-connection.js';
import { EXIT, fromMessagingError } from '../cli-error.js';
import { type Command, withArgs } from '../command.js';
import { MESSAGE_HELP, MESSAGE_OPTIONS, outgoingMessage } from '../message-options.js';
import { printJson, printLine } from '../output.js';

const HELP = `Usage: messaging publish <topic> [json] [options]

Publishes one message. The body is a JSON object; each key becomes a body value whose type is
inferred: integers in int32 range are i32, other integers i64, other numbers f64, strings str,
booleans bool, null null, lists array, objects map (use --type to choose another).

  messaging publish user.events.created '{"user_id":1}'
  messaging publish sensor.read '{"ratio":1}' --type ratio=f64 --ack

Options:
${MESSAGE_HELP}
      --ack             wait until the broker has routed the message
      --json            print {"id", "topic", "acked"} instead of a sentence
${BROKER_HELP}
${CONFIG_HELP}

Exit codes: 0 published, 1 failed, 2 usage or configuration error, 3 broker unreachable.`;

const OPTIONS = { ...CONFIG_OPTIONS, ...BROKER_OPTIONS, ...MESSAGE_OPTIONS, ack: { type: 'boolean' }, json: { type: 'boolean' } } as const;

/** The publish command. */
export const command: Command = {
  name: 'publish',
  summary: 'publish one message',
  help: HELP,
  run: (argv) =>
    withArgs(argv, OPTIONS, HELP, async (args) => {
      const outgoing = outgoingMessage(args, 'publish');
      if (outgoing.isErr()) return outgoing;
      const { topic, loaded, message } = outgoing.value;
      const connected = await connectBroker(loaded.config, args, { persistent: false });
      if (connected.isErr()) return connected;
      const { client, url } = connected.value;
      const ack = flag(args, 'ack');
      const sent = await client.publish(message, { ack });
      await client.close();
      if (sent.isErr()) return err(fromMessagingError(sent.error, `publishing to ${url} failed`));
      if (flag(args, 'json')) printJson({ id: message.header.id, topic, acked: ack });
      else printLine(`published ${message.header.id} to ${topic}${ack ? ' (acknowledged by the broker)' : ''}`);
      return ok(EXIT.OK);
    }),
};
