/**
 * Validates a merged configuration object against CONFIG_SCHEMA with ajv, fills the defaults,
 * and turns every ajv error into a ConfigIssue that names the key path, the expected value and
 * where the value came from. It reports all errors at once and never throws.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { didYouMean } from './did-you-mean.js';
import { type SchemaNode, describeSchema, describeValue } from './describe.js';
import { CONFIG_SCHEMA } from './schema.js';
import type { ConfigIssue, MessagingSystemConfig } from './types.js';

/** Where a key path's value came from, for the wording and location of an issue. */
export type Locator = (path: readonly string[]) => Omit<ConfigIssue, 'path' | 'message' | 'text'>;

let compiled: ReturnType<Ajv['compile']> | undefined;

function validator(): ReturnType<Ajv['compile']> {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, strictTypes: false, strictRequired: false });
    compiled = ajv.compile(CONFIG_SCHEMA);
  }
  return compiled;
}

/** Splits an ajv instancePath (`/network/server/port`) into keys. */
function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The schema node at `path`, following properties and items. */
export function schemaAt(path: readonly string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = CONFIG_SCHEMA as unknown as SchemaNode;
  for (const key of path) {
    if (!node) return undefined;
    node = node.properties?.[key] ?? (/^\d+$/.test(key) ? node.items : undefined);
  }
  return node;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A condition of an if/then in the schema, in words: `network.server.tls.enabled is true`. */
function conditionText(objectPath: readonly string[]): string | undefined {
  const node = schemaAt(objectPath);
  const entries = Object.entries(node?.if?.properties ?? {});
  const [first] = entries;
  if (!first) return undefined;
  return `${[...objectPath, first[0]].join('.')} is ${String(first[1].const)}`;
}

/** `['policies', 'retry', 'backoff_ms', '1']` -> `policies.retry.backoff_ms[1]`. */
export function formatPath(path: readonly string[]): string {
  return path.reduce((text, key) => (/^\d+$/.test(key) ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');
}

/** Formats an issue's one-line text from its parts. */
export function issueText(issue: Omit<ConfigIssue, 'text'>): string {
  const where =
    issue.source === 'file'
      ? issue.line !== undefined
        ? ` (line ${issue.line})`
        : ''
      : issue.source === 'default'
        ? ' (not set)'
        : ` (from ${issue.origin ?? issue.source})`;
  return `${issue.path || '(top level)'}: ${issue.message}${where}`;
}

/** Builds an issue at `path` with `message`, located by `locate`. */
export function makeIssue(path: readonly string[], message: string, locate: Locator): ConfigIssue {
  const base = { path: formatPath(path), message, ...locate(path) };
  return { ...base, text: issueText(base) };
}

function issuesFromAjv(errors: readonly ErrorObject[], data: unknown, locate: Locator): ConfigIssue[] {
  const byPath = new Map<string, { path: string[]; message: string }>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    let path = pointerToPath(e.instancePath);
    let message: string;
    if (e.keyword === 'additionalProperties') {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const siblings = Object.keys(schemaAt(path)?.properties ?? {});
      path = [...path, key];
      const guess = didYouMean(key, siblings);
      message = guess ? `unknown key, did you mean "${guess}"?` : `unknown key, expected one of ${siblings.join(', ')}`;
    } else {
      if (e.keyword === 'required') path = [...path, String((e.params as { missingProperty: string }).missingProperty)];
      const node = schemaAt(path);
      const value = valueAt(data, path);
      let expected = node ? describeSchema(node) : 'a valid value';
      const thenAt = e.schemaPath.indexOf('/then/');
      if (thenAt >= 0) {
        const objectPath = path.slice(0, -1);
        const key = path[path.length - 1] ?? '';
        const merged: SchemaNode = { ...schemaAt(path), ...schemaAt(objectPath)?.then?.properties?.[key] };
        const what = merged.pattern ? describeSchema(merged) : 'a non-empty value';
        expected = `${what} because ${conditionText(objectPath) ?? 'of another key'}`;
      } else if (e.keyword === 'uniqueItems') {
        expected = `${expected}; repeated item`;
      }
      message = `expected ${expected}, got ${describeValue(value)}`;
    }
    const id = path.join('.');
    if (!byPath.has(id)) byPath.set(id, { path, message });
  }
  return [...byPath.values()].map(({ path, message }) => makeIssue(path, message, locate));
}

/** Rules that relate two keys, which a JSON schema cannot say plainly. */
const CROSS_FIELD_RULES: { lower: string[]; upper: string[]; strict: boolean }[] = [
  { lower: ['policies', 'backpressure', 'low_watermark'], upper: ['policies', 'backpressure', 'high_watermark'], strict: true },
  { lower: ['database', 'pool', 'min'], upper: ['database', 'pool', 'max'], strict: false },
  { lower: ['network', 'client', 'reconnect', 'initial_ms'], upper: ['network', 'client', 'reconnect', 'max_ms'], strict: false },
];

function crossFieldIssues(config: unknown, locate: Locator): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const rule of CROSS_FIELD_RULES) {
    const lower = valueAt(config, rule.lower);
    const upper = valueAt(config, rule.upper);
    if (typeof lower !== 'number' || typeof upper !== 'number') continue;
    if (rule.strict ? lower < upper : lower <= upper) continue;
    const lowerSource = locate(rule.lower).source;
    const blame = lowerSource === 'default' ? rule.upper : rule.lower;
    const other = blame === rule.lower ? rule.upper : rule.lower;
    const relation = blame === rule.lower ? (rule.strict ? 'below' : 'at most') : rule.strict ? 'above' : 'at least';
    const value = blame === rule.lower ? lower : upper;
    const otherValue = blame === rule.lower ? upper : lower;
    issues.push(makeIssue(blame, `expected a value ${relation} ${other.join('.')} (${otherValue}), got ${value}`, locate));
  }
  return issues;
}

/** The outcome of a validation: the config with defaults filled, or every issue found. */
export type Validation = { ok: true; config: MessagingSystemConfig } | { ok: false; issues: ConfigIssue[] };

/** Validates `merged` (not modified) and fills defaults; never throws. */
export function validateConfig(merged: unknown, locate: Locator): Validation {
  if (merged !== undefined && merged !== null && (typeof merged !== 'object' || Array.isArray(merged))) {
    return { ok: false, issues: [makeIssue([], `expected a mapping at the top level, got ${describeValue(merged)}`, locate)] };
  }
  const data = structuredClone(merged ?? {}) as Record<string, unknown>;
  let validate: ReturnType<Ajv['compile']>;
  try {
    validate = validator();
  } catch (e) {
    return { ok: false, issues: [makeIssue([], `the schema does not compile: ${String(e)}`, locate)] };
  }
  const valid = validate(data);
  const issues = valid ? [] : issuesFromAjv(validate.errors ?? [], data, locate);
  issues.push(...crossFieldIssues(data, locate));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, config: data as unknown as MessagingSystemConfig };
}
