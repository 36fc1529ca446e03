/**
 * `messaging doctor`: checks what `serve` needs — the native core, the configuration, the
 * database and the broker and metrics ports (free, or held by our own running broker) — and
 * prints ✔ or ✘ per check with a fix for every failure; exit 1 when any check failed. It only
 * looks: it never creates a database, applies a migration or keeps a port.
 */
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { ok } from '../../core/result.js';
import { platformTriple } from '../../core/native.js';
import { maskUrlPassword } from '../../config/load-config.js';
import type { MessagingSystemConfig } from '../../config/types.js';
import { MessagingClient } from '../../network/client.js';
import { migrationStatus } from '../../persistence/migrations.js';
import { CONFIG_HELP, CONFIG_OPTIONS, flag } from '../args.js';
import { EXIT, usageError } from '../cli-error.js';
import { configPathFor, loadCliConfig } from '../cli-config.js';
import { type Command, withArgs } from '../command.js';
import { DATABASE_HELP, DATABASE_OPTIONS, chooseDatabase, describeDatabase, openAdminDatabase } from '../database-target.js';
import { printJson, printLine } from '../output.js';
import { nativeVersionOrNull } from '../package-info.js';
import { lockHolder } from '../pglite-lock.js';
import type { ParsedArgs } from '../args.js';

const HELP = `Usage: messaging doctor [options]

Checks the native core, the configuration, the database and the broker and metrics ports
(free, or answered by a running messaging-system broker), printing ✔ or ✘ per check and a
fix for each failure.

Options:
      --json            {"ok": bool, "checks": [{"name", "ok", "detail", "fix"?}]}
${DATABASE_HELP}
${CONFIG_HELP}

Exit codes: 0 every check passed, 1 a check failed, 2 usage error.`;

const OPTIONS = { ...CONFIG_OPTIONS, ...DATABASE_OPTIONS, json: { type: 'boolean' } } as const;

/** The outcome of one check. */
interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

function checkNative(): Check {
  const version = nativeVersionOrNull();
  if (version !== null) return { name: 'native core', ok: true, detail: `version ${version} (${platformTriple()})` };
  return {
    name: 'native core',
    ok: false,
    detail: `the addon for ${platformTriple()} does not load`,
    fix: 'run "npm run build" in the package directory (needs Rust), or install the prebuilt package for this platform',
  };
}

async function checkDatabase(config: MessagingSystemConfig, args: ParsedArgs): Promise<Check> {
  const choice = chooseDatabase(config, args);
  const name = 'database';
  const where = describeDatabase(choice);
  if (choice.engine === 'pglite') {
    const holder = lockHolder(choice.dataDir);
    if (holder !== undefined) return { name, ok: true, detail: `${where}: open in the running broker (pid ${holder})` };
    if (!existsSync(choice.dataDir)) {
      const parent = dirname(resolve(choice.dataDir));
      if (existsSync(parent)) return { name, ok: true, detail: `${where}: not created yet; serve creates it` };
      return { name, ok: false, detail: `${where}: the directory ${parent} does not exist`, fix: 'create it, or point database.data_dir somewhere writable' };
    }
  }
  const db = await openAdminDatabase(choice);
  if (db.isErr()) {
    const fix =
      choice.engine === 'postgresql'
        ? `start Postgres at ${maskUrlPassword(choice.url)}, or correct database.url (--set database.url=... or MESSAGING_DATABASE__URL)`
        : 'check that database.data_dir is a PGlite directory this user can write';
    return { name, ok: false, detail: db.error.message, fix };
  }
  try {
    const states = await migrationStatus(db.value, { schema: choice.schema });
    if (states.isErr()) return { name, ok: false, detail: `${where}: ${states.error.message}`, fix: 'check the user may read the schema' };
    const applied = states.value.filter((m) => m.applied).length;
    const total = states.value.length;
    const note = applied === total ? `all ${total} migrations applied` : `${applied} of ${total} migrations applied (serve or "messaging migrate up" applies the rest)`;
    return { name, ok: true, detail: `${where}: reachable, ${note}` };
  } finally {
    await db.value.close();
  }
}

/** 'free', 'in-use' or another listen error. */
function probePort(host: string, port: number): Promise<'free' | 'in-use' | string> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'EADDRINUSE' ? 'in-use' : `${e.code ?? e.message}`));
    server.listen(port, host, () => server.close(() => done('free')));
  });
}

function clientHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

async function isOurBroker(config: MessagingSystemConfig): Promise<boolean> {
  const s = config.network.server;
  const host = clientHost(s.host);
  const url = `${s.tls.enabled ? 'tls' : 'tcp'}://${host.includes(':') ? `[${host}]` : host}:${s.port}`;
  const client = await MessagingClient.connect(url, { timeoutMs: 1500, retryAttempts: 0, name: 'messaging-doctor', ...(s.tls.enabled ? { tls: { rejectUnauthorized: false } } : {}), onError: () => undefined });
  if (client.isErr()) return false;
  await client.value.close();
  return true;
}

function isOurHealthEndpoint(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const req = httpRequest({ host: clientHost(host), port, path: '/healthz', timeout: 1500 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done(res.statusCode === 200 && body.includes('"alive"')));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(false));
    req.end();
  });
}

async function checkBrokerPort(config: MessagingSystemConfig): Promise<Check> {
  const { host, port } = config.network.server;
  const name = 'broker port';
  const probe = await probePort(host, port);
  if (probe === 'free') return { name, ok: true, detail: `${host}:${port} is free` };
  if (probe === 'in-use') {
    if (await isOurBroker(config)) return { name, ok: true, detail: `${host}:${port} answers as a messaging-system broker (serve is running)` };
    return { name, ok: false, detail: `${host}:${port} is used by another program`, fix: 'stop that program, or choose another port: --set network.server.port=<port>' };
  }
  return { name, ok: false, detail: `cannot listen on ${host}:${port}: ${probe}`, fix: 'choose a port above 1023 and an address of this machine (network.server.host/port)' };
}

async function checkMetricsPort(config: MessagingSystemConfig): Promise<Check> {
  const { host, port, enabled } = config.monitoring;
  const name = 'metrics port';
  if (!enabled) return { name, ok: true, detail: 'monitoring is off' };
  const probe = await probePort(host, port);
  if (probe === 'free') return { name, ok: true, detail: `${host}:${port} is free` };
  if (probe === 'in-use') {
    if (await isOurHealthEndpoint(host, port)) return { name, ok: true, detail: `${host}:${port} answers /healthz (serve is running)` };
    return { name, ok: false, detail: `${host}:${port} is used by another program`, fix: 'stop that program, or choose another port: --set monitoring.port=<port>' };
  }
  return { name, ok: false, detail: `cannot listen on ${host}:${port}: ${probe}`, fix: 'choose a port above 1023 and an address of this machine (monitoring.host/port)' };
}

/** The doctor command. */
export const command: Command = {
  name: 'doctor',
  summary: 'check the setup',
  help: HELP,
  run: (argv) =>
    withArgs(argv, OPTIONS, HELP, async (args) => {
      if (args.positionals.length > 0) return usageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
      const checks: Check[] = [checkNative()];
      const file = configPathFor(args);
      const loaded = loadCliConfig(args);
      if (loaded.isErr()) {
        checks.push({
          name: 'configuration',
          ok: false,
          detail: [loaded.error.message, ...loaded.error.details].join('\n    '),
          fix: `correct the keys above (messaging config validate${file ? ` ${file}` : ''} lists every error)`,
        });
      } else {
        const config = loaded.value.config;
        checks.push({ name: 'configuration', ok: true, detail: `${file ?? 'built-in defaults'} is valid` });
        checks.push(await checkDatabase(config, args));
        checks.push(await checkBrokerPort(config));
        checks.push(await checkMetricsPort(config));
      }
      const allOk = checks.every((c) => c.ok);
      if (flag(args, 'json')) printJson({ ok: allOk, checks });
      else {
        for (const c of checks) {
          printLine(`${c.ok ? '✔' : '✘'} ${c.name}: ${c.detail}`);
          if (c.fix) printLine(`    fix: ${c.fix}`);
        }
        if (loaded.isErr()) printLine('  (database and port checks skipped: they need a valid configuration)');
      }
      return ok(allOk ? EXIT.OK : EXIT.FAILURE);
    }),
};
