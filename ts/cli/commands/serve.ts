/**
 * `messaging serve`: runs the broker with its durable queue, metrics/health endpoint and config
 * watch until SIGINT/SIGTERM, then drains and exits 0. When everything is up it prints exactly
 * one line to stdout: `messaging-system listening on <broker url> (metrics <url>)`. It never
 * prints that line before the broker, the database and the endpoint are all ready.
 */
import { ok } from '../../core/result.js';
import { CONFIG_HELP, CONFIG_OPTIONS, intOption, listOption } from '../args.js';
import { EXIT, usageError } from '../cli-error.js';
import { configPathFor, loadCliConfig } from '../cli-config.js';
import { type Command, withArgs } from '../command.js';
import { deferred } from '../deferred.js';
import { startBroker } from '../serve-runtime.js';

const HELP = `Usage: messaging serve [options]

Runs the broker (network.server), opens the durable queue (PGlite in database.data_dir, or
Postgres with database.url) with its migrations applied, serves /metrics, /healthz and /readyz
on monitoring.port, and watches the configuration file: logging.level, policies.* and
monitoring.metrics_interval_ms apply live, other changes are logged as needing a restart.

When ready it prints one line:
  messaging-system listening on tcp://127.0.0.1:8080 (metrics http://127.0.0.1:9464/metrics)

SIGINT or SIGTERM stops it gracefully (clients are told, buffers drain, the database closes)
with exit 0; a second signal exits at once with 1.

Options:
      --drain-ms <ms>   how long shutdown waits for clients' buffers (default 2000)
${CONFIG_HELP}

Exit codes: 0 stopped by a signal, 1 failed (e.g. port in use), 2 configuration error,
3 database unreachable.`;

const OPTIONS = { ...CONFIG_OPTIONS, 'drain-ms': { type: 'string' } } as const;

/** The serve command. */
export const command: Command = {
  name: 'serve',
  summary: 'run the broker',
  help: HELP,
  run: (argv) =>
    withArgs(argv, OPTIONS, HELP, async (args) => {
      if (args.positionals.length > 0) return usageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
      const drainMs = intOption(args, 'drain-ms', 0, 600_000, 2000);
      if (drainMs.isErr()) return drainMs;
      const loaded = loadCliConfig(args);
      if (loaded.isErr()) return loaded;
      const configFile = configPathFor(args);

      // signals that arrive while starting stop the broker as soon as it is up
      let signalled: NodeJS.Signals | null = null;
      const stopped = deferred<void>();
      const onSignal = (signal: NodeJS.Signals) => {
        if (signalled !== null) {
          process.stderr.write(`messaging: ${signal} again; exiting without draining\n`);
          process.exit(EXIT.FAILURE);
        }
        signalled = signal;
        stopped.resolve();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);

      const runtime = await startBroker(loaded.value.config, { configFile, set: listOption(args, 'set'), drainMs: drainMs.value as number });
      if (runtime.isErr()) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        return runtime;
      }
      const { url, metricsUrl, logger } = runtime.value;
      if (signalled === null) {
        process.stdout.write(`messaging-system listening on ${url}${metricsUrl ? ` (metrics ${metricsUrl})` : ''}\n`);
        await stopped.promise;
      }
      logger.info({ signal: signalled }, 'shutting down');
      await runtime.value.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      return ok(EXIT.OK);
    }),
};
