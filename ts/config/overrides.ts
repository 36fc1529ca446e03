/**
 * An override of one key path (from the environment or `--set`), parsing its value as a YAML
 * scalar and applying it to a plain object. It never validates the value: the schema does.
 */
import { parse } from 'yaml';
import type { ConfigSource } from './types.js';

/** One key path set from outside the file. */
export interface Override {
  path: string[];
  value: unknown;
  source: Extract<ConfigSource, 'env' | 'set'>;
  /** `MESSAGING_NETWORK__SERVER__PORT` or `--set network.server.port=9000`. */
  origin: string;
}

/** A problem with an override itself (not with its value). */
export interface OverrideProblem {
  path: string[];
  message: string;
  source: Extract<ConfigSource, 'env' | 'set'>;
  origin: string;
}

/** Parses `text` as a YAML value (`9000` -> 9000, `true` -> true, `[1, 2]` -> a list); else the text itself. */
export function parseOverrideValue(text: string): unknown {
  if (text.trim() === '') return text;
  try {
    return parse(text);
  } catch {
    return text;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets `override.path` in `target` (modified), creating mappings on the way; returns a problem
 * when a step of the path holds a value that is not a mapping or a list.
 */
export function applyOverride(target: Record<string, unknown>, override: Override): OverrideProblem | undefined {
  let node: Record<string, unknown> | unknown[] = target;
  const { path } = override;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next: unknown = Array.isArray(node) ? node[Number(key)] : node[key];
    if (next === undefined || next === null) {
      const created: Record<string, unknown> = {};
      if (Array.isArray(node)) node[Number(key)] = created;
      else node[key] = created;
      node = created;
    } else if (isPlainObject(next) || (Array.isArray(next) && /^\d+$/.test(path[i + 1] ?? ''))) {
      node = next;
    } else {
      return {
        path: path.slice(0, i + 1),
        message: `cannot set ${path.join('.')}: ${path.slice(0, i + 1).join('.')} holds a value, not a mapping`,
        source: override.source,
        origin: override.origin,
      };
    }
  }
  const last = path[path.length - 1] as string;
  if (Array.isArray(node)) node[Number(last)] = override.value;
  else node[last] = override.value;
  return undefined;
}
