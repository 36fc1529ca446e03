import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { ErrorCode, MessagingError, type Monitor } from '../ts/core/index.js';
import { METRIC_DEFINITIONS, createMetrics, metricNames, noopMetrics } from '../ts/observability/index.js';

test('every metric name carries the messaging_ prefix, default process metrics included', async (t) => {
  const metrics = createMetrics().unwrap();
  const names = await metricNames(metrics);
  t.true(names.length > Object.keys(METRIC_DEFINITIONS).length);
  for (const name of names) t.true(name.startsWith('messaging_'), name);
  t.true(names.includes('messaging_process_cpu_seconds_total'));
  t.true(names.includes('messaging_process_resident_memory_bytes'));
  for (const def of Object.values(METRIC_DEFINITIONS)) t.true(names.includes(`messaging_${def.name}`), def.name);
});

test('the issue metric set is there', async (t) => {
  const names = await metricNames(createMetrics({ defaultMetrics: false }).unwrap());
  for (const name of [
    'messaging_messages_published_total',
    'messaging_messages_delivered_total',
    'messaging_messages_dropped_total',
    'messaging_messages_expired_total',
    'messaging_routing_duration_seconds_bucket',
    'messaging_handling_duration_seconds_bucket',
    'messaging_queue_depth',
    'messaging_queue_utilization_ratio',
    'messaging_executor_workers_busy',
    'messaging_executor_workers_idle',
    'messaging_connections_open',
    'messaging_connections_refused_total',
    'messaging_network_received_bytes_total',
    'messaging_network_sent_bytes_total',
    'messaging_durable_queue_pending',
    'messaging_durable_queue_processing',
    'messaging_durable_queue_dead_letter',
    'messaging_db_pool_connections_in_use',
    'messaging_db_pool_waiting',
    'messaging_errors_total',
  ]) {
    t.true(names.includes(name), name);
  }
});

test('typed handles record into the registry text', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false, topicClasses: ['user', 'order'] }).unwrap();
  const cls = metrics.topicClass('user.events.created');
  metrics.messagesPublished.inc({ class: cls });
  metrics.messagesPublished.inc({ class: cls }, 2);
  metrics.messagesDropped.inc({ class: metrics.topicClass('billing.x'), reason: 'queue_full' });
  metrics.routingDuration.observe(0.00002);
  const end = metrics.handlingDuration.startTimer({ class: cls });
  end();
  metrics.queueDepth.set({ queue: 'bus' }, 17);
  metrics.connectionsOpen.inc();
  metrics.connectionsOpen.inc();
  metrics.connectionsOpen.dec();
  metrics.bytesReceived.inc(1024);
  metrics.recordError(new MessagingError(ErrorCode.QUEUE_FULL, 'full'));
  metrics.recordError('TIMEOUT');
  const text = await metrics.registry.metrics();
  t.true(text.includes('messaging_messages_published_total{class="user"} 3'));
  t.true(text.includes('messaging_messages_dropped_total{class="other",reason="queue_full"} 1'));
  t.true(text.includes('messaging_routing_duration_seconds_count 1'));
  t.true(text.includes('messaging_handling_duration_seconds_count{class="user"} 1'));
  t.true(text.includes('messaging_queue_depth{queue="bus"} 17'));
  t.true(text.includes('messaging_connections_open 1'));
  t.true(text.includes('messaging_network_received_bytes_total 1024'));
  t.true(text.includes('messaging_errors_total{code="QUEUE_FULL"} 1'));
  t.true(text.includes('messaging_errors_total{code="TIMEOUT"} 1'));
});

test('topic classes are bounded: an allow-list, or the first N first words', (t) => {
  const allowed = createMetrics({ defaultMetrics: false, topicClasses: ['user'] }).unwrap();
  t.is(allowed.topicClass('user.created'), 'user');
  t.is(allowed.topicClass('user'), 'user');
  t.is(allowed.topicClass('order.created'), 'other');
  t.is(allowed.topicClass(''), 'other');
  const firstN = createMetrics({ defaultMetrics: false, maxTopicClasses: 3 }).unwrap();
  const classes = new Set<string>();
  for (let i = 0; i < 1000; i++) classes.add(firstN.topicClass(`w${i}.x.y`));
  t.deepEqual([...classes], ['w0', 'w1', 'w2', 'other']);
  t.is(firstN.topicClass('w1.z'), 'w1');
  t.is(firstN.topicClass('sensors/room1/temp'), 'other');
  t.is(firstN.topicClass('bad label"}.x'), 'other');
});

test('the generic Monitor API records by name and never throws', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false }).unwrap();
  const monitor: Monitor = metrics;
  monitor.increment('messages_published_total', 1, { class: 'user' });
  monitor.increment('messaging_messages_published_total', 4, { class: 'user' });
  monitor.gauge('queue_depth', 5, { queue: 'q' });
  monitor.observe('routing_duration_seconds', 0.001);
  monitor.increment('custom_events_total', 2, { kind: 'a' });
  // wrong kind, bad name, bad labels, negative counter: rejected and counted
  monitor.gauge('messages_published_total', 1);
  monitor.increment('bad name!', 1);
  monitor.increment('messages_published_total', 1, { nope: 'x' });
  monitor.increment('messages_published_total', -1, { class: 'user' });
  monitor.observe('routing_duration_seconds', Number.NaN);
  const text = await metrics.registry.metrics();
  t.true(text.includes('messaging_messages_published_total{class="user"} 5'));
  t.true(text.includes('messaging_queue_depth{queue="q"} 5'));
  t.true(text.includes('messaging_custom_events_total{kind="a"} 2'));
  t.true(text.includes('messaging_monitor_rejected_samples_total 5'));
});

test('registries are separate, never the global one', async (t) => {
  const a = createMetrics({ defaultMetrics: false }).unwrap();
  const b = createMetrics({ defaultMetrics: false }).unwrap();
  a.messagesPublished.inc({ class: 'x' });
  t.true((await a.registry.metrics()).includes('messaging_messages_published_total{class="x"} 1'));
  t.false((await b.registry.metrics()).includes('class="x"'));
  const { register } = await import('prom-client');
  t.is(await register.getSingleMetricAsString('messaging_messages_published_total').catch(() => 'absent'), 'absent');
});

test('samplers run on the interval, which changes live', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false, sampleIntervalMs: 1000 }).unwrap();
  let depth = 0;
  const remove = metrics.addSampler(() => metrics.queueDepth.set({ queue: 'bus' }, ++depth));
  t.true(metrics.setSampleInterval(20).isOk());
  await sleep(150);
  t.true(depth >= 3, `sampled ${depth} times`);
  remove();
  const after = depth;
  await sleep(80);
  t.is(depth, after);
  t.true(metrics.setSampleInterval(0).isErr());
  metrics.addSampler(() => {
    throw new MessagingError(ErrorCode.DATABASE_ERROR, 'down');
  });
  await metrics.sampleNow();
  t.true((await metrics.registry.metrics()).includes('messaging_errors_total{code="DATABASE_ERROR"} 1'));
  metrics.close();
});

test('the no-op variant has the same shape and records nothing', async (t) => {
  const metrics = createMetrics({ enabled: false }).unwrap();
  t.false(metrics.enabled);
  const reference = noopMetrics();
  t.deepEqual(Object.keys(metrics).toSorted(), Object.keys(reference).toSorted());
  metrics.messagesPublished.inc({ class: 'x' });
  metrics.handlingDuration.startTimer({ class: 'x' })();
  metrics.queueDepth.set({ queue: 'q' }, 1);
  metrics.increment('anything');
  metrics.recordError('TIMEOUT');
  t.is((await metrics.registry.metrics()).trim(), '');
  const enabled = createMetrics({ defaultMetrics: false }).unwrap();
  for (const key of Object.keys(METRIC_DEFINITIONS)) t.true(key in metrics && key in enabled, key);
});

test('the fast latency histograms expose exactly what a prom-client Histogram does', async (t) => {
  const { Histogram, Registry } = await import('prom-client');
  const { FastHistogram } = await import('../ts/observability/fast-histogram.js');
  const buckets = [0.001, 0.01, 0.1, 1];
  const reference = new Registry();
  const fast = new Registry();
  const a = new Histogram({ name: 'h', help: 'help text', labelNames: ['class'], buckets, registers: [reference] });
  const b = new FastHistogram('h', 'help text', ['class'], buckets, fast);
  const values = [0, 0.0005, 0.001, 0.002, 0.01, 0.05, 0.1, 0.5, 1, 2, 1e9, 0.001];
  values.forEach((v, i) => {
    const labels = { class: i % 3 === 0 ? 'user' : 'order' };
    a.observe(labels, v);
    b.observe(labels, v);
  });
  a.observe(0.2);
  b.observe(0.2);
  t.is(await fast.metrics(), await reference.metrics());
  const json = async (r: InstanceType<typeof Registry>) => JSON.parse(JSON.stringify(await r.getMetricsAsJSON())) as unknown;
  t.deepEqual(await json(fast), await json(reference));
  // bad samples are ignored and counted, never thrown
  b.observe({ class: 'user' }, Number.NaN);
  b.observe({ nope: 'x' } as never, 1);
  t.is(b.rejected, 2);
  const end = b.startTimer({ class: 'timer' });
  t.true(end() >= 0);
  t.regex(await fast.metrics(), /h_count\{class="timer"\} 1/);
  b.reset();
  t.false((await fast.metrics()).includes('h_count'));
});

test('collect hooks run once per read of the registry, before its values, and a failing one fails nothing', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false }).unwrap();
  let pending = 0;
  let runs = 0;
  const remove = metrics.beforeCollect(() => {
    runs++;
    metrics.messagesPublished.inc({ class: 'orders' }, pending);
    metrics.queueDepth.set({ queue: 'q' }, pending);
    pending = 0;
  });
  const broken = metrics.beforeCollect(() => {
    throw new Error('hook failed');
  });
  pending = 7;
  const text = await metrics.registry.metrics();
  t.is(runs, 1);
  t.regex(text, /messaging_messages_published_total\{class="orders"\} 7\n/);
  t.regex(text, /messaging_queue_depth\{queue="q"\} 7\n/);
  pending = 3;
  const json = await metrics.registry.getMetricsAsJSON();
  t.is(runs, 2);
  const published = json.find((m) => m.name === 'messaging_messages_published_total');
  t.deepEqual(published?.values.map((v) => v.value), [10]);
  remove();
  broken();
  pending = 5;
  await metrics.registry.metrics();
  t.is(runs, 2, 'a removed hook no longer runs');
  metrics.close();
});
