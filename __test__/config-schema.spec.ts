import { readFileSync } from 'node:fs';
import test from 'ava';
import {
  CONFIG_SCHEMA,
  LIVE_KEYS,
  type MessagingSystemConfig,
  defaultConfig,
  didYouMean,
  levenshtein,
  loadConfigWithSources,
} from '../ts/config/index.js';

interface Node {
  type?: string;
  description?: string;
  properties?: Record<string, Node>;
}

function leaves(node: Node, prefix: string[] = []): { path: string; node: Node }[] {
  if (node.properties) return Object.entries(node.properties).flatMap(([k, child]) => leaves(child, [...prefix, k]));
  return [{ path: prefix.join('.'), node }];
}

test('config/messaging_system.schema.json is the schema of ts/config/schema.ts', (t) => {
  const written: unknown = JSON.parse(readFileSync('config/messaging_system.schema.json', 'utf8'));
  t.deepEqual(written, JSON.parse(JSON.stringify(CONFIG_SCHEMA)));
});

test('config/messaging_system.yaml sets every key, to its default', (t) => {
  const loaded = loadConfigWithSources('config/messaging_system.yaml', { env: false }).unwrap();
  t.deepEqual(loaded.config, defaultConfig().unwrap());
  t.deepEqual(
    loaded.entries.filter((e) => e.source !== 'file').map((e) => e.path),
    [],
  );
});

test('every key of the schema has a description and is documented in docs/CONFIGURATION.md', (t) => {
  const doc = readFileSync('docs/CONFIGURATION.md', 'utf8');
  for (const { path, node } of leaves(CONFIG_SCHEMA as unknown as Node)) {
    t.truthy(node.description, `${path} has no description`);
    t.true(doc.includes(`\`${path}\``), `${path} is not in docs/CONFIGURATION.md`);
  }
});

test('the typed config has exactly the keys of the schema', (t) => {
  const config: MessagingSystemConfig = defaultConfig().unwrap();
  const fromConfig: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else fromConfig.push(prefix);
  };
  walk(config, '');
  t.deepEqual(fromConfig, leaves(CONFIG_SCHEMA as unknown as Node).map((l) => l.path));
});

test('the live keys exist in the schema', (t) => {
  const paths = leaves(CONFIG_SCHEMA as unknown as Node).map((l) => l.path);
  for (const key of LIVE_KEYS) {
    const prefix = key.endsWith('.*') ? key.slice(0, -1) : key;
    t.true(paths.some((p) => p === key || p.startsWith(prefix)), key);
  }
});

test('levenshtein distance and suggestions', (t) => {
  t.is(levenshtein('kitten', 'sitting'), 3);
  t.is(levenshtein('', 'abc'), 3);
  t.is(levenshtein('same', 'same'), 0);
  t.is(didYouMean('prot', ['host', 'port', 'tls']), 'port');
  t.is(didYouMean('PORT', ['host', 'port']), 'port');
  t.is(didYouMean('max_conn', ['max_connections', 'max_frame_bytes']), 'max_connections');
  t.is(didYouMean('completely_unrelated', ['host', 'port']), undefined);
});
