import { readFileSync } from 'node:fs';
import test from 'ava';
import { parse } from 'yaml';
import { createMetrics, metricNames } from '../ts/observability/index.js';

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { expr: string; refId: string }[];
}

const dashboard = JSON.parse(readFileSync('config/grafana/messaging-system.json', 'utf8')) as {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string }[] };
};
const alerts = parse(readFileSync('config/prometheus/alerts.yml', 'utf8')) as {
  groups: { name: string; rules: { alert: string; expr: string; for: string; labels: { severity: string }; annotations: Record<string, string> }[] }[];
};

function namesIn(expr: string): string[] {
  return [...expr.matchAll(/\bmessaging_[a-z0-9_]+/g)].map((m) => m[0]);
}

async function known(): Promise<Set<string>> {
  return new Set(await metricNames(createMetrics().unwrap()));
}

test('the Grafana dashboard is a valid dashboard with unique panel ids', (t) => {
  t.is(dashboard.uid, 'messaging-system');
  t.true(dashboard.schemaVersion >= 30);
  const ids = dashboard.panels.map((p) => p.id);
  t.is(new Set(ids).size, ids.length);
  for (const panel of dashboard.panels) {
    t.truthy(panel.title);
    t.true(panel.gridPos.x + panel.gridPos.w <= 24, panel.title);
    if (panel.type !== 'row') t.true((panel.targets ?? []).length > 0, panel.title);
  }
  t.deepEqual(dashboard.templating.list.map((v) => v.name), ['datasource', 'job', 'instance']);
});

test('the dashboard shows throughput, latency percentiles, queue depth, errors and connections', (t) => {
  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((x) => x.expr)).join('\n');
  t.regex(exprs, /rate\(messaging_messages_published_total/);
  t.regex(exprs, /histogram_quantile\(0\.95, sum by \(le\) \(rate\(messaging_handling_duration_seconds_bucket/);
  t.regex(exprs, /histogram_quantile\(0\.99, sum by \(le\) \(rate\(messaging_routing_duration_seconds_bucket/);
  t.regex(exprs, /messaging_queue_depth/);
  t.regex(exprs, /messaging_errors_total/);
  t.regex(exprs, /messaging_connections_open/);
});

test('every metric the dashboard uses exists in the registry', async (t) => {
  const names = await known();
  const used = dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((x) => namesIn(x.expr)));
  t.true(used.length > 20);
  for (const name of used) t.true(names.has(name), `${name} is not exposed`);
});

test('the alert rules cover p95 latency, error rate, queue depth and pool saturation with known metrics', async (t) => {
  const names = await known();
  const rules = alerts.groups.flatMap((g) => g.rules);
  const byName = new Map(rules.map((r) => [r.alert, r]));
  for (const alert of ['MessagingHandlingLatencyHigh', 'MessagingErrorRateHigh', 'MessagingQueueDepthHigh', 'MessagingDatabasePoolSaturated']) {
    t.truthy(byName.get(alert), alert);
  }
  t.regex(byName.get('MessagingHandlingLatencyHigh')?.expr ?? '', /histogram_quantile\(0\.95/);
  for (const rule of rules) {
    t.regex(rule.for, /^\d+[smh]$/, rule.alert);
    t.true(['warning', 'critical'].includes(rule.labels.severity), rule.alert);
    t.truthy(rule.annotations.summary, rule.alert);
    const used = namesIn(rule.expr);
    t.true(used.length > 0, rule.alert);
    for (const name of used) t.true(names.has(name), `${rule.alert} uses ${name}, which is not exposed`);
  }
});
