/**
 * `messaging migrate up|down|status`: applies, reverts or lists the schema migrations of the
 * configured database (Postgres, or PGlite in database.data_dir). Each run holds the
 * migrations' advisory lock; it never touches a PGlite directory a running broker holds.
 */
import { err, ok } from '../../core/result.js';
import { migrateDown, migrateUp, migrationStatus } from '../../persistence/migrations.js';
import { CONFIG_HELP, CONFIG_OPTIONS, flag, intOption } from '../args.js';
import { EXIT, fromMessagingError, usageError } from '../cli-error.js';
import { loadCliConfig } from '../cli-config.js';
import { type Command, withArgs } from '../command.js';
import { DATABASE_HELP, DATABASE_OPTIONS, chooseDatabase, describeDatabase, openAdminDatabase } from '../database-target.js';
import { formatTable, printJson, printLine } from '../output.js';

const HELP = `Usage: messaging migrate up [--to N]
       messaging migrate down [--steps N | --to N]
       messaging migrate status

up      applies every pending migration (or those up to version N)
down    reverts the newest applied migration (or N of them, or all above version N)
status  lists every migration and whether it is applied

Options:
      --to <N>          target version
      --steps <N>       down: how many migrations to revert (default 1)
      --json            machine-readable output
${DATABASE_HELP}
${CONFIG_HELP}

Exit codes: 0 done, 1 failed, 2 usage or configuration error, 3 database unreachable.`;

const OPTIONS = { ...CONFIG_OPTIONS, ...DATABASE_OPTIONS, to: { type: 'string' }, steps: { type: 'string' }, json: { type: 'boolean' } } as const;

/** The migrate command. */
export const command: Command = {
  name: 'migrate',
  summary: 'apply, revert or list database migrations',
  help: HELP,
  run: (argv) =>
    withArgs(argv, OPTIONS, HELP, async (args) => {
      const [action, ...extra] = args.positionals;
      if (action !== 'up' && action !== 'down' && action !== 'status') {
        return usageError(action === undefined ? 'migrate needs an action: up, down or status' : `unknown migrate action "${action}" (expected up, down or status)`);
      }
      if (extra.length > 0) return usageError(`unexpected argument ${JSON.stringify(extra[0])}`);
      const to = intOption(args, 'to', 0, 1_000_000);
      if (to.isErr()) return to;
      const steps = intOption(args, 'steps', 0, 1_000_000);
      if (steps.isErr()) return steps;
      if (action !== 'down' && steps.value !== undefined) return usageError('--steps applies to migrate down only');
      if (steps.value !== undefined && to.value !== undefined) return usageError('give --steps or --to, not both');
      const loaded = loadCliConfig(args);
      if (loaded.isErr()) return loaded;
      const choice = chooseDatabase(loaded.value.config, args);
      const db = await openAdminDatabase(choice, { mustExist: action !== 'up' });
      if (db.isErr()) return db;
      const json = flag(args, 'json');
      const schema = choice.schema;
      try {
        if (action === 'status') {
          const states = await migrationStatus(db.value, { schema });
          if (states.isErr()) return err(fromMessagingError(states.error, 'cannot read the migrations'));
          if (json) printJson({ database: describeDatabase(choice), schema, migrations: states.value });
          else {
            printLine(describeDatabase(choice));
            const rows = states.value.map((m) => [String(m.version), m.name, m.applied ? `applied ${m.appliedAt?.toISOString() ?? ''}` : 'pending']);
            printLine(formatTable(['version', 'name', 'state'], rows));
          }
          return ok(EXIT.OK);
        }
        const run =
          action === 'up'
            ? await migrateUp(db.value, { schema, ...(to.value !== undefined ? { to: to.value } : {}) })
            : await migrateDown(db.value, { schema, ...(to.value !== undefined ? { to: to.value } : {}), ...(steps.value !== undefined ? { steps: steps.value } : {}) });
        if (run.isErr()) return err(fromMessagingError(run.error, `migrate ${action} failed`));
        const { versions, current } = run.value;
        if (json) printJson({ database: describeDatabase(choice), schema, action, versions, current });
        else if (versions.length === 0) printLine(`nothing to ${action === 'up' ? 'apply' : 'revert'}; schema ${schema} is at version ${current}`);
        else printLine(`${action === 'up' ? 'applied' : 'reverted'} ${versions.join(', ')}; schema ${schema} is at version ${current}`);
        return ok(EXIT.OK);
      } finally {
        await db.value.close();
      }
    }),
};
