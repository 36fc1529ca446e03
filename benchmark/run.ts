/**
 * `npm run bench [suite...] [--quick]`: runs benchmark suites (folders of benchmark/ with an
 * index.ts exporting `suite`), prints a table per suite and writes benchmark/results/.
 * Figures are reported, never asserted: the machines are shared and noisy.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_RUN, QUICK_RUN, runComparison } from './harness/interleave.js';
import { markdownTable, writeResults } from './harness/report.js';
import type { Suite, SuiteResult } from './harness/types.js';

/** Every suite by name; each lives in its own folder. */
const SUITES: Record<string, () => Promise<{ suite: Suite }>> = {
  smoke: () => import('./smoke/index.js'),
  codec: () => import('./codec/index.js'),
  router: () => import('./router/index.js'),
  observability: () => import('./observability/index.js'),
  persistence: () => import('./persistence/index.js'),
  network: () => import('./network/index.js'),
  bus: () => import('./bus/index.js'),
  executor: () => import('./executor/index.js'),
};

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { quick: { type: 'boolean' }, rounds: { type: 'string' }, list: { type: 'boolean' } },
  });
  if (values.list) {
    process.stdout.write(`${Object.keys(SUITES).join('\n')}\n`);
    return 0;
  }
  const names = positionals.length > 0 ? positionals : Object.keys(SUITES);
  const unknown = names.filter((n) => !(n in SUITES));
  if (unknown.length > 0) {
    process.stderr.write(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}\n`);
    return 2;
  }
  const options = { ...(values.quick ? QUICK_RUN : DEFAULT_RUN) };
  if (values.rounds) options.rounds = Number(values.rounds);
  const results: SuiteResult[] = [];
  for (const name of names) {
    const { suite } = await (SUITES[name] as () => Promise<{ suite: Suite }>)();
    const comparisons = await suite.comparisons();
    const result: SuiteResult = {
      suite: suite.name,
      description: suite.description,
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, platform: process.platform },
      comparisons: [],
    };
    for (const comparison of comparisons) {
      process.stderr.write(`${suite.name}: ${comparison.name}…\n`);
      result.comparisons.push(await runComparison(comparison, options));
    }
    if (suite.extra) {
      process.stderr.write(`${suite.name}: extra figures…\n`);
      result.extra = await suite.extra();
    }
    process.stdout.write(`${markdownTable(result)}\n\n`);
    results.push(result);
  }
  for (const file of writeResults(results)) process.stderr.write(`wrote ${file}\n`);
  return 0;
}

process.exitCode = await main();
