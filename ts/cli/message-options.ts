/**
 * The options that describe a message to send, shared by `publish` and `request`, and their
 * conversion into MessageArgs. Parsing only: it never builds or sends anything.
 */
import { type Result, err, ok } from '../core/result.js';
import { MESSAGE_TYPES, type MessageType } from '../message/message.js';
import { type ParsedArgs, intOption, listOption, stringOption } from './args.js';
import { CliError, EXIT } from './cli-error.js';
import type { LoadedConfig } from '../config/types.js';
import type { Message } from '../message/message.js';
import { loadCliConfig } from './cli-config.js';
import { type MessageArgs, buildMessage } from './message-io.js';

/** Options of a message to send. */
export const MESSAGE_OPTIONS = {
  header: { type: 'string', short: 'H', multiple: true },
  type: { type: 'string', short: 't', multiple: true },
  priority: { type: 'string', short: 'p' },
  ttl: { type: 'string' },
  'trace-id': { type: 'string' },
  'message-type': { type: 'string' },
  source: { type: 'string' },
} as const;

/** Help lines of MESSAGE_OPTIONS. */
export const MESSAGE_HELP = `  -H, --header k=v      user header (repeatable)
  -t, --type key=type   wire type of a top-level body value: null, bool, i32, i64, f64, str,
                        bytes, array, map (repeatable); i64 accepts a decimal string, bytes hex
  -p, --priority <0-10> priority (default 5)
      --ttl <ms>        time to live in ms (default 0: none)
      --trace-id <hex>  W3C trace id, 32 hex characters
      --message-type <t> command, event, query, reply or notification
      --source <name>   sender name`;

/** The message description of `args` for `topic` and the JSON body text. */
export function messageArgs(args: ParsedArgs, topic: string, json: string | undefined): Result<MessageArgs, CliError> {
  const priority = intOption(args, 'priority', 0, 10);
  if (priority.isErr()) return priority;
  const ttl = intOption(args, 'ttl', 0, 0xffffffff);
  if (ttl.isErr()) return ttl;
  const type = stringOption(args, 'message-type');
  if (type !== undefined && !MESSAGE_TYPES.includes(type as MessageType)) {
    return err(new CliError(EXIT.USAGE, `--message-type: expected one of ${MESSAGE_TYPES.join(', ')}, got ${JSON.stringify(type)}`));
  }
  return ok({
    topic,
    json,
    headers: listOption(args, 'header'),
    types: listOption(args, 'type'),
    priority: priority.value,
    ttlMs: ttl.value,
    traceId: stringOption(args, 'trace-id'),
    type: type as MessageType | undefined,
    source: stringOption(args, 'source'),
  });
}

/** What `publish` and `request` send: the topic, the loaded config and the built message. */
export interface OutgoingMessage {
  topic: string;
  loaded: LoadedConfig;
  message: Message;
}

/** Reads `<topic> [json]` and the message options of `verb`, loads the config, builds the message. */
export function outgoingMessage(args: ParsedArgs, verb: string): Result<OutgoingMessage, CliError> {
  const [topic, json, ...extra] = args.positionals;
  if (topic === undefined) return err(new CliError(EXIT.USAGE, `${verb} needs a topic: messaging ${verb} <topic> [json]`));
  if (extra.length > 0) return err(new CliError(EXIT.USAGE, `unexpected argument ${JSON.stringify(extra[0])} (quote the JSON body as one argument)`));
  const loaded = loadCliConfig(args);
  if (loaded.isErr()) return loaded;
  const described = messageArgs(args, topic, json);
  if (described.isErr()) return described;
  const message = buildMessage(described.value);
  if (message.isErr()) return message;
  return ok({ topic, loaded: loaded.value, message: message.value });
}
