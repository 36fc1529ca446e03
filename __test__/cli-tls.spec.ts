import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { openPostgres } from '../ts/persistence/index.js';
import { makeCertificates } from './helpers/certificates.js';
import { POSTGRES_REQUIRED, TEST_DATABASE_URL, freePort, runCli, scratch, startCli } from './helpers/cli-process.js';

const { cwd, schema } = scratch('cli_tls');

test('serve with TLS from the config file; clients take tls:// from the same file and trust --ca', async (t) => {
  const certs = makeCertificates();
  for (const [name, text] of [['ca.crt', certs.ca], ['server.crt', certs.serverCert], ['server.key', certs.serverKey]] as const) {
    writeFileSync(join(cwd, name), text);
  }
  const probe = await openPostgres(TEST_DATABASE_URL, { min: 1, max: 1 });
  const reachable = probe.isOk() && (await probe.value.query('SELECT 1')).isOk();
  if (probe.isOk()) await probe.value.close();
  if (!reachable && POSTGRES_REQUIRED) t.fail('Postgres unreachable');
  const database = reachable ? `database:\n  url: ${TEST_DATABASE_URL}\n  schema: ${schema}\n` : 'database:\n  data_dir: ./data\n';
  const port = await freePort();
  const file = join(cwd, 'tls.yaml');
  writeFileSync(
    file,
    `network:\n  server:\n    port: ${port}\n    tls:\n      enabled: true\n      cert_file: server.crt\n      key_file: server.key\nmonitoring:\n  enabled: false\nlogging:\n  level: warn\n${database}`,
  );

  const serve = startCli(['serve', '--config', file], { cwd });
  t.teardown(() => {
    if (serve.process.exitCode === null) serve.process.kill('SIGKILL');
  });
  const ready = await serve.waitFor(/^messaging-system listening on .*$/m, 60_000, 'stdout');
  t.is(ready[0], `messaging-system listening on tls://127.0.0.1:${port}`);

  const sub = startCli(['subscribe', 'secure.#', '--config', file, '--ca', 'ca.crt', '--json', '--count', '1'], { cwd });
  await sub.waitFor(/subscribed to "secure.#" on tls:\/\/127\.0\.0\.1:/, 30_000, 'stderr');
  const pub = await runCli(['publish', 'secure.hello', '{"ok":true}', '--config', file, '--ca', 'ca.crt', '--ack'], { cwd });
  t.is(pub.code, 0, pub.stderr);
  const received = await sub.exited;
  t.is(received.code, 0, received.stderr);
  t.like(JSON.parse(received.stdout), { topic: 'secure.hello', body: { ok: true } });

  const untrusted = await runCli(['publish', 'secure.hello', '{}', '--config', file], { cwd });
  t.is(untrusted.code, 1);
  t.regex(untrusted.stderr, /^messaging: cannot connect to tls:\/\/127\.0\.0\.1:\d+: .*certificate.*\(pass the CA that signed the broker's certificate with --ca\)\n$/);

  serve.process.kill('SIGTERM');
  t.is((await serve.exited).code, 0);
});

test('serve with an unreadable TLS file is a configuration error, exit 2', async (t) => {
  const r = await runCli(
    ['serve', '--set', `network.server.port=${await freePort()}`, '--set', 'network.server.tls.enabled=true', '--set', 'network.server.tls.cert_file=missing.crt', '--set', 'network.server.tls.key_file=missing.key', '--set', 'monitoring.enabled=false'],
    { cwd },
  );
  t.is(r.code, 2);
  t.is(r.stderr, 'messaging: network.server.tls.cert_file: cannot read "missing.crt": ENOENT\n');
});
