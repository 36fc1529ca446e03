import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { MessageBuilder, MessagingClient } from '../ts/index.js';
import { type CliChild, freePort, runCli, startCli, tempDir } from './helpers/cli-process.js';

const tmp = tempDir();
const cwd = tmp.dir;
const configFile = join(cwd, 'messaging.yaml');
let port = 0;
let metricsPort = 0;
let serve: CliChild;

function configText(level: string, brokerPort = port): string {
  return `network:\n  server:\n    port: ${brokerPort}\nmonitoring:\n  port: ${metricsPort}\nlogging:\n  level: ${level}\ndatabase:\n  data_dir: ./data\n`;
}

test.before(async () => {
  port = await freePort();
  metricsPort = await freePort();
  writeFileSync(configFile, configText('info'));
  serve = startCli(['serve', '--config', configFile], { cwd, timeoutMs: 120_000 });
  await serve.waitFor(/^messaging-system listening on .*$/m, 60_000, 'stdout');
});

test.after.always(async () => {
  if (serve.process.exitCode === null) serve.process.kill('SIGKILL');
  await serve.exited;
  tmp.remove();
});

test.serial('serve prints one ready line with the broker and metrics URLs, and is ready', async (t) => {
  const ready = serve.stdout().split('\n').filter((l) => l.startsWith('messaging-system'));
  t.deepEqual(ready, [`messaging-system listening on tcp://127.0.0.1:${port} (metrics http://127.0.0.1:${metricsPort}/metrics)`]);
  const readyz = await fetch(`http://127.0.0.1:${metricsPort}/readyz`);
  t.is(readyz.status, 200);
  t.deepEqual(((await readyz.json()) as { checks: unknown }).checks, { database: { ok: true }, broker: { ok: true } });
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  t.regex(metrics, /^messaging_connections_open /m);
  t.true(existsSync(join(cwd, 'data', 'PG_VERSION')), 'PGlite files in database.data_dir');
});

test.serial('a message published by one process arrives at subscribers in two others', async (t) => {
  const url = `tcp://127.0.0.1:${port}`;
  const lossless = startCli(['subscribe', 'user.#', '--url', url, '--count', '1'], { cwd });
  const plain = startCli(['subscribe', 'user.*.created', '--json', '--count', '1', '--config', configFile], { cwd });
  await Promise.all([lossless.waitFor(/subscribed to "user.#"/, 30_000, 'stderr'), plain.waitFor(/subscribed to/, 30_000, 'stderr')]);
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const pub = await runCli(
    ['publish', 'user.events.created', '{"user_id":1,"ratio":2,"name":"ann","tags":["a"],"big":"9007199254740993"}', '--type', 'ratio=f64', '--type', 'big=i64', '--header', 'origin=cli', '--priority', '7', '--trace-id', traceId, '--config', configFile],
    { cwd },
  );
  t.is(pub.code, 0, pub.stderr);
  t.regex(pub.stdout, /^published [0-9a-f-]{36} to user\.events\.created\n$/);
  const [a, b] = await Promise.all([lossless.exited, plain.exited]);
  t.is(a.code, 0, a.stderr);
  t.is(b.code, 0, b.stderr);
  const tagged = JSON.parse(a.stdout) as { topic: string; traceId: string; priority: number; headers: [string, string][]; body: [string, { t: string; v: unknown }][] };
  t.is(tagged.topic, 'user.events.created');
  t.is(tagged.traceId, traceId);
  t.is(tagged.priority, 7);
  t.deepEqual(tagged.headers, [['origin', 'cli']]);
  t.deepEqual(tagged.body, [
    ['user_id', { t: 'i32', v: 1 }],
    ['ratio', { t: 'f64', v: 2 }],
    ['name', { t: 'str', v: 'ann' }],
    ['tags', { t: 'array', v: [{ t: 'str', v: 'a' }] }],
    ['big', { t: 'i64', v: '9007199254740993' }],
  ]);
  t.is(a.stdout.trim().split('\n').length, 1);
  const friendly = JSON.parse(b.stdout) as Record<string, unknown>;
  t.like(friendly, { topic: 'user.events.created', type: 'event', headers: { origin: 'cli' }, body: { user_id: 1, ratio: 2, name: 'ann', tags: ['a'], big: '9007199254740993' } });
});

test.serial('publish --ack waits for the broker; --json prints the id', async (t) => {
  const r = await runCli(['publish', 'orders.created', '{"n":1}', '--ack', '--json', '--url', `tcp://127.0.0.1:${port}`], { cwd });
  t.is(r.code, 0, r.stderr);
  t.like(JSON.parse(r.stdout), { topic: 'orders.created', acked: true });
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  t.regex(metrics, /^messaging_messages_published_total\{class="orders"\} [1-9]/m, 'the broker counts by topic class');
  t.regex(metrics, /^messaging_connections_accepted_total [1-9]/m);
  t.regex(metrics, /^messaging_network_received_bytes_total [1-9]/m);
});

test.serial('request prints the reply of a responder; no responder is a timeout, exit 1', async (t) => {
  const client = (await MessagingClient.connect(`tcp://127.0.0.1:${port}`)).unwrap();
  t.teardown(() => client.close());
  (
    await client.subscribe('math.add', (m) => {
      const sum = Number(m.body.get('a')) + Number(m.body.get('b'));
      void client.reply(m, new MessageBuilder().topic('x').addBody('sum', sum).build().unwrap());
    })
  ).unwrap();
  const r = await runCli(['request', 'math.add', '{"a":1,"b":2}', '--json', '--url', `tcp://127.0.0.1:${port}`], { cwd });
  t.is(r.code, 0, r.stderr);
  t.like(JSON.parse(r.stdout), { type: 'reply', body: { sum: 3 } });
  const none = await runCli(['request', 'nobody.home', '--timeout', '300', '--url', `tcp://127.0.0.1:${port}`], { cwd });
  t.is(none.code, 1);
  t.regex(none.stderr, /^messaging: no reply to "nobody\.home" within 300 ms \(is anything answering "nobody\.home"\?\)\n$/);
});

test.serial('a second serve: port in use is one line with exit 1; the held PGlite directory too', async (t) => {
  const samePort = await runCli(['serve', '--config', configFile, '--set', 'database.data_dir=./other', '--set', `monitoring.port=${await freePort()}`], { cwd });
  t.is(samePort.code, 1);
  t.is(samePort.stderr, `messaging: cannot listen on 127.0.0.1:${port}: the port is already in use (is another broker running? choose another with --set network.server.port=<port>)\n`);
  t.notRegex(samePort.stdout, /listening on/);
  const sameData = await runCli(['serve', '--config', configFile, '--set', `network.server.port=${await freePort()}`, '--set', `monitoring.port=${await freePort()}`], { cwd });
  t.is(sameData.code, 1);
  t.regex(sameData.stderr, /^messaging: the PGlite database in \.\/data is open in a running broker \(pid \d+\); stop it first/);
  const dlq = await runCli(['dlq', 'list', '--config', configFile], { cwd });
  t.is(dlq.code, 1);
  t.regex(dlq.stderr, /is open in a running broker/);
});

test.serial('doctor recognises the running broker on its ports and database', async (t) => {
  const r = await runCli(['doctor', '--config', configFile], { cwd });
  t.is(r.code, 0, r.stdout);
  t.regex(r.stdout, new RegExp(`^✔ broker port: 127\\.0\\.0\\.1:${port} answers as a messaging-system broker`, 'm'));
  t.regex(r.stdout, new RegExp(`^✔ metrics port: 127\\.0\\.0\\.1:${metricsPort} answers /healthz`, 'm'));
  t.regex(r.stdout, /^✔ database: PGlite in \.\/data \(schema messaging\): open in the running broker \(pid \d+\)$/m);
});

test.serial('an edit of the config file applies the log level live and reports restart-only keys', async (t) => {
  const before = serve.stdout().length;
  writeFileSync(configFile, configText('debug', port + 1));
  const applied = await serve.waitFor(/"keys":\["logging\.level"\].*"msg":"configuration changes applied"/, 15_000, 'stdout');
  t.truthy(applied);
  await serve.waitFor(/"keys":\["network\.server\.port"\].*"msg":"configuration changes need a restart"/, 15_000, 'stdout');
  t.true(serve.stdout().length > before);
  writeFileSync(configFile, configText('info', port));
});

test.serial('SIGTERM drains, releases the data directory and exits 0', async (t) => {
  const url = `tcp://127.0.0.1:${port}`;
  const subscriber = startCli(['subscribe', '#', '--url', url], { cwd });
  await subscriber.waitFor(/subscribed/, 30_000, 'stderr');
  serve.process.kill('SIGTERM');
  const result = await serve.exited;
  t.is(result.code, 0, result.stderr);
  t.is(result.stderr, '');
  t.regex(result.stdout, /"msg":"shutting down"/);
  t.false(existsSync(join(cwd, 'data', 'messaging-serve.pid')));
  subscriber.process.kill('SIGINT');
  const sub = await subscriber.exited;
  t.true(sub.code === 0 || sub.code === 3, `subscriber exit ${sub.code}: ${sub.stderr}`);
});
