/**
 * Writes what a run measured: benchmark/results/latest.json (merged by suite, so running one
 * suite keeps the others), latest.md (a table per suite) and <suite>.svg (a bar chart).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { formatRate } from './interleave.js';
import type { ComparisonResult, SuiteResult } from './types.js';

const RESULTS = new URL('../results/', import.meta.url);

/** A Markdown table of one suite. */
export function markdownTable(result: SuiteResult): string {
  const lines = [
    `## ${result.suite}`,
    '',
    `${result.description} (${result.date}, ${result.machine.cpus} × ${result.machine.model}, Node ${result.machine.node})`,
    '',
    '| comparison | contender | median ops/s | ratio (subject / peer) | targets |',
    '|---|---|---:|---:|---|',
  ];
  for (const c of result.comparisons) {
    const targets = c.targets.map((t) => `${t.met ? 'met' : 'MISSED'}: ${t.what}`).join('; ');
    lines.push(`| ${c.name} | **${c.subject.name}** | ${formatRate(c.subject.median)} ${c.unit}/s | | ${targets} |`);
    for (const p of c.peers) {
      lines.push(`| | ${p.name} | ${formatRate(p.median)} ${c.unit}/s | ${(c.ratios[p.name] ?? 0).toFixed(2)}× | |`);
    }
  }
  if (result.extra) lines.push('', result.extra.markdown);
  return lines.join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An SVG bar chart: one group per comparison, bars scaled to the group's fastest contender. */
export function svgChart(result: SuiteResult): string {
  const rowHeight = 22;
  const labelWidth = 330;
  const barWidth = 420;
  const rows: string[] = [];
  let y = 40;
  const group = (c: ComparisonResult) => {
    const all = [c.subject, ...c.peers];
    const max = Math.max(...all.map((r) => r.median));
    rows.push(`<text x="10" y="${y}" font-weight="bold">${escapeXml(c.name)}</text>`);
    y += rowHeight;
    for (const r of all) {
      const w = Math.max(1, (r.median / max) * barWidth);
      const fill = r === c.subject ? '#2b6cb0' : '#a0aec0';
      rows.push(`<text x="20" y="${y - 6}">${escapeXml(r.name)}</text>`);
      rows.push(`<rect x="${labelWidth}" y="${y - rowHeight + 6}" width="${w.toFixed(1)}" height="14" fill="${fill}"/>`);
      rows.push(
        `<text x="${labelWidth + w + 6}" y="${y - 6}">${formatRate(r.median)} ${escapeXml(c.unit)}/s</text>`,
      );
      y += rowHeight;
    }
    y += 8;
  };
  for (const c of result.comparisons) group(c);
  const width = labelWidth + barWidth + 140;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif" font-size="12">`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(result.suite)}: ${escapeXml(result.description)}</text>`,
    ...rows,
    '</svg>',
    '',
  ].join('\n');
}

/** Merges `results` into latest.json and rewrites latest.md and each suite's SVG. */
export function writeResults(results: SuiteResult[]): string[] {
  mkdirSync(RESULTS, { recursive: true });
  const latestPath = new URL('latest.json', RESULTS);
  const latest: Record<string, SuiteResult> = existsSync(latestPath)
    ? (JSON.parse(readFileSync(latestPath, 'utf8')) as Record<string, SuiteResult>)
    : {};
  for (const r of results) latest[r.suite] = r;
  writeFileSync(latestPath, `${JSON.stringify(latest, null, 2)}\n`);
  const suites = Object.values(latest).toSorted((a, b) => a.suite.localeCompare(b.suite));
  const markdown = ['# Benchmark results', '', ...suites.map((s) => `${markdownTable(s)}\n`)].join('\n');
  writeFileSync(new URL('latest.md', RESULTS), markdown);
  const written = ['latest.json', 'latest.md'];
  for (const r of results) {
    writeFileSync(new URL(`${r.suite}.svg`, RESULTS), svgChart(r));
    written.push(`${r.suite}.svg`);
  }
  return written.map((f) => `benchmark/results/${f}`);
}
