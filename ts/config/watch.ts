/**
 * Watches the configuration file and reloads it when it changes (debounced): a valid edit is
 * reported as the keys that apply live and the keys that need a restart; an invalid edit keeps the
 * running configuration and reports every error. It never applies anything itself and never throws.
 */
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { MessagingError } from '../core/errors.js';
import type { Logger } from '../core/interfaces.js';
import { type Result, err, ok, tryCatch } from '../core/result.js';
import { type LoadConfigOptions, configIssues, loadConfigWithSources } from './load-config.js';
import { LIVE_KEYS } from './schema.js';
import type { ConfigIssue, MessagingSystemConfig } from './types.js';

/** One changed key. */
export interface ConfigChange {
  path: string;
  from: unknown;
  to: unknown;
}

/** What a reload found. */
export type ConfigChangeEvent =
  | {
      kind: 'changed';
      /** The running configuration: the previous one with the live changes applied. */
      config: MessagingSystemConfig;
      /** Changes that apply now (log level, backpressure, retry, metrics interval). */
      live: ConfigChange[];
      /** Changes that take effect only after a restart; `config` keeps their old values. */
      restartRequired: ConfigChange[];
    }
  | {
      kind: 'invalid';
      /** The running configuration, unchanged. */
      config: MessagingSystemConfig;
      error: MessagingError;
      issues: ConfigIssue[];
    };

/** Options of `watchForChanges`. */
export interface WatchOptions extends LoadConfigOptions {
  /** Quiet time after the last file event before reloading, in ms (default 200). */
  debounceMs?: number;
  /** Where reload results are logged (warnings for restarts, errors for invalid edits). */
  logger?: Logger;
}

/** A running watch. */
export interface ConfigWatcher {
  /** The running configuration. */
  current(): MessagingSystemConfig;
  /** Reloads now and reports as a file event would; undefined when nothing changed. */
  reload(): ConfigChangeEvent | undefined;
  /** Stops watching. */
  close(): void;
}

/** True when a change of `path` applies without a restart. */
export function isLiveKey(path: string): boolean {
  return LIVE_KEYS.some((key) => (key.endsWith('.*') ? path.startsWith(key.slice(0, -1)) : path === key));
}

function leaves(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

/** Every leaf that differs between two configurations (arrays compare as a whole). */
export function diffConfig(before: MessagingSystemConfig, after: MessagingSystemConfig): ConfigChange[] {
  const a = leaves(before, '', new Map());
  const b = leaves(after, '', new Map());
  const changes: ConfigChange[] = [];
  for (const [path, to] of b) {
    const from = a.get(path);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ path, from, to });
  }
  return changes;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1] as string] = structuredClone(value);
}

/** Watches `path` and calls `onChange` after each debounced, effective edit; the first load must be valid. */
export function watchForChanges(
  path: string,
  onChange: (event: ConfigChangeEvent) => void,
  options: WatchOptions = {},
): Result<ConfigWatcher> {
  const first = loadConfigWithSources(path, options);
  if (first.isErr()) return err(first.error);
  const file = resolve(path);
  const name = basename(file);
  const { logger, debounceMs = 200 } = options;
  let running = first.value.config;
  let lastLoaded = first.value.config;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const reload = (): ConfigChangeEvent | undefined => {
    const loaded = loadConfigWithSources(path, options);
    if (loaded.isErr()) {
      const issues = configIssues(loaded.error);
      logger?.error({ file: path, issues: issues.map((i) => i.text) }, 'configuration edit rejected; keeping the running configuration');
      return { kind: 'invalid', config: running, error: loaded.error, issues };
    }
    const changes = diffConfig(lastLoaded, loaded.value.config);
    lastLoaded = loaded.value.config;
    if (changes.length === 0) return undefined;
    const live = changes.filter((c) => isLiveKey(c.path));
    const restartRequired = changes.filter((c) => !isLiveKey(c.path));
    const next = structuredClone(running) as unknown as Record<string, unknown>;
    for (const change of live) setPath(next, change.path, change.to);
    running = next as unknown as MessagingSystemConfig;
    if (live.length > 0) logger?.info({ file: path, keys: live.map((c) => c.path) }, 'configuration changes applied');
    if (restartRequired.length > 0) {
      logger?.warn({ file: path, keys: restartRequired.map((c) => c.path) }, 'configuration changes need a restart');
    }
    return { kind: 'changed', config: running, live, restartRequired };
  };

  const fire = (): ConfigChangeEvent | undefined => {
    timer = undefined;
    if (closed) return undefined;
    const event = reload();
    if (event) {
      try {
        onChange(event);
      } catch (e) {
        logger?.error({ err: e }, 'configuration change callback threw');
      }
    }
    return event;
  };

  // Watch the directory: editors often replace the file, which ends a watch on the file itself.
  const watcher = tryCatch((): FSWatcher =>
    watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (closed || (changed !== null && changed !== name)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(fire, debounceMs);
    }),
  );
  if (watcher.isErr()) return err(watcher.error);
  watcher.value.on('error', (e) => logger?.error({ err: e, file: path }, 'configuration watch failed'));

  return ok({
    current: () => running,
    reload: fire,
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher.value.close();
    },
  });
}
