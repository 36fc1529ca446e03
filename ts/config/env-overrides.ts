/**
 * Reads configuration overrides from environment variables: `MESSAGING_NETWORK__SERVER__PORT=9000`
 * sets network.server.port (double underscore = one level down, names lowercased, values parsed
 * as YAML scalars). It only reads the map it is given; it never writes the environment.
 */
import { type Override, type OverrideProblem, parseOverrideValue } from './overrides.js';
import { CONFIG_SCHEMA } from './schema.js';

/** The prefix of configuration variables. */
export const ENV_PREFIX = 'MESSAGING_';

const SECTIONS = new Set(Object.keys(CONFIG_SCHEMA.properties));

/** The variable that sets `path` (`network.server.port` -> `MESSAGING_NETWORK__SERVER__PORT`). */
export function envVariableName(path: string, prefix = ENV_PREFIX): string {
  return `${prefix}${path.split('.').join('__').toUpperCase()}`;
}

/**
 * The overrides found in `env`. Variables with the prefix but without `__` are ignored unless they
 * name a top-level section, so unrelated variables such as MESSAGING_TEST_DATABASE_URL pass by.
 */
export function envOverrides(
  env: Readonly<Record<string, string | undefined>>,
  prefix = ENV_PREFIX,
): { overrides: Override[]; problems: OverrideProblem[] } {
  const overrides: Override[] = [];
  const problems: OverrideProblem[] = [];
  for (const name of Object.keys(env).toSorted()) {
    const raw = env[name];
    if (raw === undefined || !name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const lowered = rest.toLowerCase();
    if (!rest.includes('__') && !SECTIONS.has(lowered)) continue;
    const path = lowered.split('__');
    const origin = name;
    if (path.some((p) => p === '')) {
      problems.push({ path, message: `${name} is not a key path (empty part between "__")`, source: 'env', origin });
      continue;
    }
    overrides.push({ path, value: parseOverrideValue(raw), source: 'env', origin });
  }
  return { overrides, problems };
}
