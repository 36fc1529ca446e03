/**
 * Loads the configuration: the YAML file, then environment overrides, then `--set` overrides,
 * validated together against the schema with defaults filled, every value tagged with where it
 * came from. It reads files and the environment map it is given; it never throws and never exits.
 */
import { readFileSync } from 'node:fs';
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';
import { ENV_PREFIX, envOverrides } from './env-overrides.js';
import { type Override, type OverrideProblem, applyOverride } from './overrides.js';
import { type SchemaNode } from './describe.js';
import { CONFIG_SCHEMA } from './schema.js';
import { setOverrides } from './set-overrides.js';
import type { ConfigEntry, ConfigIssue, ConfigSource, LoadedConfig, MessagingSystemConfig } from './types.js';
import { type Locator, issueText, makeIssue, validateConfig } from './validate.js';
import { type YamlSource, parseYamlSource } from './yaml-source.js';

/** The configuration file used when none is named. */
export const DEFAULT_CONFIG_PATH = 'config/messaging_system.yaml';

/** Options of `loadConfig`. */
export interface LoadConfigOptions {
  /** Environment to read overrides from (default `process.env`); `false` reads none. */
  env?: Readonly<Record<string, string | undefined>> | false;
  /** Prefix of override variables (default `MESSAGING_`). */
  envPrefix?: string;
  /** `key=value` overrides, applied last (the CLI's `--set`). */
  set?: readonly string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasPath(root: unknown, path: readonly string[]): boolean {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => k === path[i]);
}

/** Builds the CONFIG_ERROR that lists every issue. */
export function configError(issues: ConfigIssue[], file?: string): MessagingError {
  const where = file ? ` in ${file}` : '';
  const count = issues.length === 1 ? '1 error' : `${issues.length} errors`;
  const message = `invalid configuration${where} (${count}):\n${issues.map((i) => `  ${i.text}`).join('\n')}`;
  return new MessagingError(ErrorCode.CONFIG_ERROR, message, { details: { file, issues } });
}

/** The issues a CONFIG_ERROR carries (empty for any other error). */
export function configIssues(error: MessagingError): ConfigIssue[] {
  const issues = error.details?.issues;
  return Array.isArray(issues) ? (issues as ConfigIssue[]) : [];
}

interface Layers {
  file?: string;
  source?: YamlSource;
  overrides: Override[];
  derived: Map<string, Override | 'file'>;
}

function locatorFor(layers: Layers): Locator {
  return (path) => {
    const override =
      path.length > 0 ? layers.overrides.findLast((o) => isPrefix(o.path, path) || isPrefix(path, o.path)) : undefined;
    if (override) return { source: override.source, origin: override.origin };
    if (layers.source && hasPath(layers.source.value, path)) {
      const pos = layers.source.locate(path);
      return { source: 'file', ...(layers.file ? { file: layers.file } : {}), ...(pos ? { line: pos.line, column: pos.column } : {}) };
    }
    return { source: 'default' };
  };
}

function leafPaths(node: SchemaNode, prefix: string[] = []): string[][] {
  if ((node.type === 'object' || node.properties) && node.properties) {
    return Object.entries(node.properties).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
  }
  return [prefix];
}

const LEAVES = leafPaths(CONFIG_SCHEMA as unknown as SchemaNode);

function entriesOf(config: MessagingSystemConfig, layers: Layers, locate: Locator): ConfigEntry[] {
  return LEAVES.map((path) => {
    const id = path.join('.');
    const value = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], config);
    const override = layers.overrides.findLast((o) => isPrefix(o.path, path) || isPrefix(path, o.path));
    if (override) return { path: id, value, source: override.source, origin: override.origin };
    const derived = layers.derived.get(id);
    if (derived && derived !== 'file') return { path: id, value, source: derived.source, origin: derived.origin };
    const where = locate(derived === 'file' ? ['database', 'url'] : path);
    if (where.source === 'file') {
      return { path: id, value, source: 'file' as ConfigSource, ...(where.file ? { origin: where.file } : {}), ...(where.line ? { line: where.line } : {}) };
    }
    return { path: id, value, source: 'default' as ConfigSource };
  });
}

function problemIssue(problem: OverrideProblem): ConfigIssue {
  const base = { path: problem.path.join('.'), message: problem.message, source: problem.source, origin: problem.origin };
  return { ...base, text: issueText(base) };
}

const SOURCE_ORDER: Record<ConfigSource, number> = { file: 0, default: 1, env: 2, set: 3 };

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return issues.toSorted((a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] || (a.line ?? 0) - (b.line ?? 0));
}

/** Validates YAML `text` with the overrides of `options`; `file` names it in errors. */
export function parseConfig(text: string, options: LoadConfigOptions & { file?: string } = {}): Result<LoadedConfig> {
  const { file } = options;
  const source = parseYamlSource(text);
  if (source.errors.length > 0) {
    const issues = source.errors.map((e): ConfigIssue => {
      const at = e.line !== undefined ? ` (line ${e.line}, column ${e.column ?? 1})` : '';
      const base = {
        path: '',
        message: `malformed YAML: ${e.message}`,
        source: 'file' as ConfigSource,
        ...(file ? { file } : {}),
        ...(e.line !== undefined ? { line: e.line } : {}),
        ...(e.column !== undefined ? { column: e.column } : {}),
      };
      return { ...base, text: `${base.message}${at}` };
    });
    return err(configError(issues, file));
  }

  const env = options.env === undefined ? process.env : options.env;
  const fromEnv = env === false ? { overrides: [], problems: [] } : envOverrides(env, options.envPrefix ?? ENV_PREFIX);
  const fromSet = setOverrides(options.set ?? []);
  const layers: Layers = {
    ...(file ? { file } : {}),
    source,
    overrides: [...fromEnv.overrides, ...fromSet.overrides],
    derived: new Map(),
  };
  const locate = locatorFor(layers);
  const issues: ConfigIssue[] = [...fromEnv.problems, ...fromSet.problems].map(problemIssue);

  const fileValue = source.value ?? {};
  if (!isPlainObject(fileValue)) {
    issues.push(makeIssue([], `expected a mapping at the top of the file, got ${Array.isArray(fileValue) ? 'a list' : JSON.stringify(fileValue)}`, locate));
    return err(configError(issues, file));
  }
  const merged = structuredClone(fileValue);
  for (const override of layers.overrides) {
    const problem = applyOverride(merged, override);
    if (problem) issues.push(problemIssue(problem));
  }
  // a url without a type selects postgresql
  const database = merged.database;
  if (isPlainObject(database) && database.type === undefined && typeof database.url === 'string' && database.url !== '') {
    database.type = 'postgresql';
    const urlOverride = layers.overrides.findLast((o) => isPrefix(o.path, ['database', 'url']));
    layers.derived.set('database.type', urlOverride ?? 'file');
  }

  const validation = validateConfig(merged, locate);
  if (!validation.ok) issues.push(...validation.issues);
  if (issues.length > 0 || !validation.ok) return err(configError(sortIssues(issues), file));
  return ok({
    config: validation.config,
    entries: entriesOf(validation.config, layers, locate),
    ...(file ? { file } : {}),
  });
}

/** Loads `path` (or only defaults and overrides when no path is given), with where each value came from. */
export function loadConfigWithSources(path?: string, options: LoadConfigOptions = {}): Result<LoadedConfig> {
  let text = '';
  if (path !== undefined) {
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
      const base = { path: '', message: `cannot read the configuration file: ${reason}`, source: 'file' as ConfigSource, file: path };
      return err(configError([{ ...base, text: `${path}: ${base.message}` }], path));
    }
  }
  return parseConfig(text, { ...options, ...(path !== undefined ? { file: path } : {}) });
}

/** Loads and validates the configuration at `path`, defaults filled, overrides applied. */
export function loadConfig(path?: string, options: LoadConfigOptions = {}): Result<MessagingSystemConfig> {
  return loadConfigWithSources(path, options).map((loaded) => loaded.config);
}

/** The configuration with every key at its default. */
export function defaultConfig(): Result<MessagingSystemConfig> {
  return parseConfig('', { env: false }).map((loaded) => loaded.config);
}

/** Hides the password of a URL (`postgres://u:secret@h` -> `postgres://u:***@h`). */
export function maskUrlPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}

/** The effective configuration as text, one `key = value  (source)` line per key, secrets masked. */
export function formatEffectiveConfig(loaded: LoadedConfig): string {
  const rows = loaded.entries.map((e) => {
    const value = typeof e.value === 'string' ? JSON.stringify(maskUrlPassword(e.value)) : JSON.stringify(e.value);
    const where =
      e.source === 'file' ? `file ${e.origin ?? ''}${e.line !== undefined ? `:${e.line}` : ''}` : e.source === 'default' ? 'default' : `${e.source} ${e.origin ?? ''}`;
    return [`${e.path} = ${value}`, where.trim()] as const;
  });
  const width = Math.min(72, Math.max(...rows.map(([left]) => left.length)));
  return rows.map(([left, where]) => `${left.padEnd(width)}  # ${where}`).join('\n');
}
