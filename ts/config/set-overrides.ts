/**
 * Reads `key=value` overrides (the `--set` options of the CLI): the key a dotted path, the value
 * parsed as a YAML scalar. It only parses the list it is given; it never applies or validates.
 */
import { type Override, type OverrideProblem, parseOverrideValue } from './overrides.js';

/** The overrides in `assignments` (`network.server.port=9000`), and the malformed ones. */
export function setOverrides(assignments: readonly string[]): { overrides: Override[]; problems: OverrideProblem[] } {
  const overrides: Override[] = [];
  const problems: OverrideProblem[] = [];
  for (const assignment of assignments) {
    const origin = `--set ${assignment}`;
    const eq = assignment.indexOf('=');
    const key = eq < 0 ? assignment.trim() : assignment.slice(0, eq).trim();
    const path = key.split('.');
    if (eq < 0 || key === '' || path.some((p) => p === '')) {
      problems.push({
        path: key === '' ? [] : path,
        message: `expected key=value with a dotted key (e.g. network.server.port=9000), got ${JSON.stringify(assignment)}`,
        source: 'set',
        origin,
      });
      continue;
    }
    overrides.push({ path, value: parseOverrideValue(assignment.slice(eq + 1)), source: 'set', origin });
  }
  return { overrides, problems };
}
