/**
 * `messaging dlq list|replay|purge`: the dead letters of the durable queue in the configured
 * database. replay moves dead letters back into the queue with fresh attempts; purge deletes
 * them. Taking every dead letter needs `--all`: it never replays or purges all by accident.
 */
import { type Result, err, ok } from '../../core/result.js';
import type { SqlDatabase } from '../../persistence/database.js';
import type { DeadLetterSelector } from '../../persistence/dead-letters.js';
import { migrationStatus } from '../../persistence/migrations.js';
import { PersistentMessageQueue } from '../../persistence/persistent-message-queue.js';
import { CONFIG_HELP, CONFIG_OPTIONS, type ParsedArgs, flag, intOption, stringOption } from '../args.js';
import { CliError, type CommandResult, EXIT, fromMessagingError, usageError } from '../cli-error.js';
import { loadCliConfig } from '../cli-config.js';
import { type Command, withArgs } from '../command.js';
import { DATABASE_HELP, DATABASE_OPTIONS, type DatabaseChoice, chooseDatabase, openAdminDatabase } from '../database-target.js';
import { plainMessage } from '../message-io.js';
import { formatTable, printJson, printLine } from '../output.js';
import { toJSONValue } from '../../message/json.js';

const HELP = `Usage: messaging dlq list [--topic T] [--limit N] [--after ID]
       messaging dlq replay <id...> | --all [--topic T]
       messaging dlq purge <id...> | --all [--topic T] [--older-than MS]

list    prints dead letters in id order: id, topic, attempts, when it failed, the last error
replay  moves dead letters back into the queue as new messages with fresh attempts
purge   deletes dead letters

Options:
      --all             every dead letter (of --topic, older than --older-than)
      --topic <topic>   only dead letters of this topic
      --limit <N>       list: at most N (default 100)
      --after <ID>      list: those after this id (paging)
      --older-than <ms> purge: only those that failed more than ms ago
      --json            list: the dead letters as JSON with the lossless message;
                        replay/purge: {"replayed": [new ids]} / {"purged": N}
${DATABASE_HELP}
${CONFIG_HELP}

Exit codes: 0 done, 1 failed, 2 usage or configuration error, 3 database unreachable.`;

const OPTIONS = {
  ...CONFIG_OPTIONS,
  ...DATABASE_OPTIONS,
  all: { type: 'boolean' },
  topic: { type: 'string' },
  limit: { type: 'string' },
  after: { type: 'string' },
  'older-than': { type: 'string' },
  json: { type: 'boolean' },
} as const;

function selector(args: ParsedArgs, ids: readonly string[], action: string): Result<DeadLetterSelector, CliError> {
  const all = flag(args, 'all');
  if (ids.length > 0 && all) return err(new CliError(EXIT.USAGE, 'give dead letter ids or --all, not both'));
  if (ids.length > 0) {
    const parsed = ids.map((id) => Number(id));
    const bad = ids.find((id, i) => !/^\d+$/.test(id) || !Number.isSafeInteger(parsed[i]) || (parsed[i] as number) < 1);
    if (bad !== undefined) return err(new CliError(EXIT.USAGE, `expected positive integer ids, got ${JSON.stringify(bad)}`));
    if (stringOption(args, 'topic') !== undefined || stringOption(args, 'older-than') !== undefined) {
      return err(new CliError(EXIT.USAGE, '--topic and --older-than go with --all, not with ids'));
    }
    return ok(parsed);
  }
  if (!all) return err(new CliError(EXIT.USAGE, `dlq ${action} needs dead letter ids or --all`));
  const older = intOption(args, 'older-than', 0, 2_147_483_647);
  if (older.isErr()) return older;
  if (older.value !== undefined && action !== 'purge') return err(new CliError(EXIT.USAGE, '--older-than applies to purge only'));
  const topic = stringOption(args, 'topic');
  return ok({ ...(topic !== undefined ? { topic } : {}), ...(older.value !== undefined ? { olderThanMs: older.value } : {}) });
}

/** Exit 1 when some of the ids given were not dead letters. */
function missing(selected: DeadLetterSelector, done: number): CommandResult {
  if (!Array.isArray(selected) || done >= selected.length) return ok(EXIT.OK);
  return err(new CliError(EXIT.FAILURE, `${selected.length - done} of the ${selected.length} ids given are not dead letters (see messaging dlq list)`));
}

async function openQueue(db: SqlDatabase, choice: DatabaseChoice, retry: { max_attempts: number; backoff_ms: number[] }): Promise<Result<PersistentMessageQueue, CliError>> {
  const states = await migrationStatus(db, { schema: choice.schema });
  if (states.isErr()) return err(fromMessagingError(states.error, 'cannot read the migrations'));
  const pending = states.value.filter((m) => !m.applied);
  if (pending.length > 0) {
    const none = pending.length === states.value.length;
    return err(
      new CliError(
        EXIT.FAILURE,
        `schema ${choice.schema} ${none ? 'has no queue tables' : `misses migration ${pending.map((m) => m.version).join(', ')}`}; run messaging migrate up (serve does it on start)`,
      ),
    );
  }
  const queue = await PersistentMessageQueue.open({ database: db }, { schema: choice.schema, migrate: false, maxAttempts: retry.max_attempts, backoffMs: retry.backoff_ms });
  return queue.isErr() ? err(fromMessagingError(queue.error, 'cannot open the queue')) : ok(queue.value);
}

async function list(queue: PersistentMessageQueue, args: ParsedArgs): Promise<CommandResult> {
  const limit = intOption(args, 'limit', 0, 100_000, 100);
  if (limit.isErr()) return limit;
  const after = intOption(args, 'after', 0, Number.MAX_SAFE_INTEGER, 0);
  if (after.isErr()) return after;
  const topic = stringOption(args, 'topic');
  const letters = await queue.deadLetters.list({ limit: limit.value as number, afterId: after.value as number, ...(topic !== undefined ? { topic } : {}) });
  if (letters.isErr()) return err(fromMessagingError(letters.error, 'cannot list the dead letters'));
  if (flag(args, 'json')) {
    printJson(
      letters.value.map((d) => ({
        id: d.id,
        originalId: d.originalId,
        topic: d.topic,
        attempts: d.attempts,
        lastError: d.lastError,
        enqueuedAt: d.enqueuedAt.toISOString(),
        failedAt: d.failedAt.toISOString(),
        message: toJSONValue(d.message),
      })),
    );
    return ok(EXIT.OK);
  }
  if (letters.value.length === 0) {
    printLine('no dead letters');
    return ok(EXIT.OK);
  }
  const rows = letters.value.map((d) => [
    String(d.id),
    d.topic,
    String(d.attempts),
    d.failedAt.toISOString(),
    `${(d.lastError ?? '').replace(/\s+/g, ' ').slice(0, 60)}  ${JSON.stringify(plainMessage(d.message).body)}`,
  ]);
  printLine(formatTable(['id', 'topic', 'attempts', 'failed at', 'last error  body'], rows));
  return ok(EXIT.OK);
}

/** The dlq command. */
export const command: Command = {
  name: 'dlq',
  summary: 'list, replay or purge dead letters',
  help: HELP,
  run: (argv) =>
    withArgs(argv, OPTIONS, HELP, async (args) => {
      const [action, ...ids] = args.positionals;
      if (action !== 'list' && action !== 'replay' && action !== 'purge') {
        return usageError(action === undefined ? 'dlq needs an action: list, replay or purge' : `unknown dlq action "${action}" (expected list, replay or purge)`);
      }
      if (action === 'list' && ids.length > 0) return usageError(`unexpected argument ${JSON.stringify(ids[0])}`);
      const selected = action === 'list' ? ok<DeadLetterSelector>([]) : selector(args, ids, action);
      if (selected.isErr()) return selected;
      const loaded = loadCliConfig(args);
      if (loaded.isErr()) return loaded;
      const choice = chooseDatabase(loaded.value.config, args);
      const db = await openAdminDatabase(choice, { mustExist: true });
      if (db.isErr()) return db;
      try {
        const queue = await openQueue(db.value, choice, loaded.value.config.policies.retry);
        if (queue.isErr()) return queue;
        try {
          if (action === 'list') return await list(queue.value, args);
          const json = flag(args, 'json');
          if (action === 'replay') {
            const replayed = await queue.value.deadLetters.replay(selected.value);
            if (replayed.isErr()) return err(fromMessagingError(replayed.error, 'replay failed'));
            if (json) printJson({ replayed: replayed.value });
            else printLine(replayed.value.length === 0 ? 'no dead letters matched' : `replayed ${replayed.value.length} dead letter(s) into the queue as ${replayed.value.join(', ')}`);
            return missing(selected.value, replayed.value.length);
          }
          const purged = await queue.value.deadLetters.purge(selected.value);
          if (purged.isErr()) return err(fromMessagingError(purged.error, 'purge failed'));
          if (json) printJson({ purged: purged.value });
          else printLine(`purged ${purged.value} dead letter(s)`);
          return missing(selected.value, purged.value);
        } finally {
          await queue.value.close();
        }
      } finally {
        await db.value.close();
      }
    }),
};
