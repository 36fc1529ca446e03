import { request } from 'node:http';
import test from 'ava';
import { ErrorCode } from '../ts/core/index.js';
import { type HealthServer, createMetrics, startHealthServer } from '../ts/observability/index.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(server: HealthServer, path: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('/metrics serves the registry in Prometheus text format', async (t) => {
  const metrics = createMetrics().unwrap();
  metrics.messagesPublished.inc({ class: 'user' }, 7);
  const server = (await startHealthServer({ port: 0, registry: metrics.registry })).unwrap();
  t.true(server.port > 0);
  t.is(server.url, `http://127.0.0.1:${server.port}`);
  const reply = await get(server, '/metrics');
  t.is(reply.status, 200);
  t.regex(String(reply.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  t.true(reply.body.includes('# TYPE messaging_messages_published_total counter'));
  t.true(reply.body.includes('messaging_messages_published_total{class="user"} 7'));
  t.true(reply.body.includes('messaging_process_cpu_seconds_total'));
  t.true((await server.close()).isOk());
});

test('/healthz is 200 while the process runs', async (t) => {
  const server = (await startHealthServer({ port: 0, registry: createMetrics().unwrap().registry })).unwrap();
  const reply = await get(server, '/healthz');
  t.is(reply.status, 200);
  t.like(JSON.parse(reply.body), { status: 'alive' });
  await server.close();
});

test('/readyz is 200 when every check passes and 503 naming the failing ones', async (t) => {
  const state = { database: true, broker: true, queues: true };
  const server = (
    await startHealthServer({
      port: 0,
      registry: createMetrics({ defaultMetrics: false }).unwrap().registry,
      readiness: {
        database: async () => state.database,
        broker: () => state.broker,
        queues: () => state.queues,
      },
    })
  ).unwrap();
  const ready = await get(server, '/readyz');
  t.is(ready.status, 200);
  t.deepEqual(JSON.parse(ready.body), {
    status: 'ready',
    checks: { database: { ok: true }, broker: { ok: true }, queues: { ok: true } },
    failing: [],
  });
  state.database = false;
  state.queues = false;
  const notReady = await get(server, '/readyz');
  t.is(notReady.status, 503);
  const body = JSON.parse(notReady.body) as { status: string; failing: string[] };
  t.is(body.status, 'not ready');
  t.deepEqual(body.failing, ['database', 'queues']);
  await server.close();
});

test('a check that throws, rejects or hangs fails without breaking the server', async (t) => {
  const server = (
    await startHealthServer({
      port: 0,
      registry: createMetrics({ defaultMetrics: false }).unwrap().registry,
      checkTimeoutMs: 100,
      readiness: {
        throws: () => {
          throw new Error('boom');
        },
        rejects: () => Promise.reject(new Error('connection refused')),
        hangs: () => new Promise<boolean>(() => undefined),
        fine: () => true,
      },
    })
  ).unwrap();
  const started = Date.now();
  const reply = await get(server, '/readyz');
  t.true(Date.now() - started < 2000);
  t.is(reply.status, 503);
  const body = JSON.parse(reply.body) as { failing: string[]; checks: Record<string, { error?: string }> };
  t.deepEqual(body.failing, ['throws', 'rejects', 'hangs']);
  t.is(body.checks.throws?.error, 'boom');
  t.is(body.checks.rejects?.error, 'connection refused');
  t.regex(body.checks.hangs?.error ?? '', /no answer within 100 ms/);
  t.is((await get(server, '/healthz')).status, 200);
  await server.close();
});

test('unknown paths are 404, other methods 405, HEAD has no body', async (t) => {
  const server = (await startHealthServer({ port: 0, registry: createMetrics({ defaultMetrics: false }).unwrap().registry })).unwrap();
  t.is((await get(server, '/nope')).status, 404);
  const post = await get(server, '/metrics', 'POST');
  t.is(post.status, 405);
  t.is(post.headers.allow, 'GET, HEAD');
  const head = await get(server, '/healthz', 'HEAD');
  t.is(head.status, 200);
  t.is(head.body, '');
  t.is((await get(server, '/metrics?x=1')).status, 200);
  await server.close();
});

test('a port in use is NETWORK_ERROR; close frees the port', async (t) => {
  const registry = createMetrics({ defaultMetrics: false }).unwrap().registry;
  const first = (await startHealthServer({ port: 0, registry })).unwrap();
  const second = await startHealthServer({ port: first.port, registry });
  t.true(second.isErr() && second.error.code === ErrorCode.NETWORK_ERROR);
  t.true(second.isErr() && second.error.message.includes('EADDRINUSE'));
  const port = first.port;
  await first.close();
  const again = (await startHealthServer({ port, registry })).unwrap();
  t.is(again.port, port);
  await again.close();
});
