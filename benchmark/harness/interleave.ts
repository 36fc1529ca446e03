/**
 * Runs a comparison A/B interleaved: in every round each contender is measured once with
 * tinybench, in an order rotated per round, so drift of a noisy machine hits all alike.
 * Reports medians and the median per-round ratio. Never asserts anything.
 */
import { Bench } from 'tinybench';
import type { Comparison, ComparisonResult, Contender, ContenderResult } from './types.js';

/** How long and how often to measure. */
export interface RunOptions {
  rounds: number;
  /** Milliseconds of measurement per contender per round. */
  timeMs: number;
  warmupMs: number;
}

export const DEFAULT_RUN: RunOptions = { rounds: 7, timeMs: 250, warmupMs: 50 };
export const QUICK_RUN: RunOptions = { rounds: 3, timeMs: 60, warmupMs: 10 };

function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function measure(contender: Contender, options: RunOptions): Promise<number> {
  const bench = new Bench({ time: options.timeMs, warmupTime: options.warmupMs, iterations: 8 });
  bench.add(contender.name, contender.fn);
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (result?.error) throw new Error(`benchmark "${contender.name}" failed`, { cause: result.error });
  const meanMs = result?.latency?.mean;
  if (!meanMs) throw new Error(`benchmark "${contender.name}" measured nothing`);
  return ((contender.ops ?? 1) * 1000) / meanMs;
}

/** Measures every contender of `comparison` over `options.rounds` interleaved rounds. */
export async function runComparison(comparison: Comparison, options: RunOptions): Promise<ComparisonResult> {
  const contenders = [comparison.subject, ...comparison.peers];
  for (const c of contenders) await c.setup?.();
  const rounds: number[][] = contenders.map(() => []);
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const index = (k + round) % contenders.length;
        const contender = contenders[index] as Contender;
        (rounds[index] as number[]).push(await measure(contender, options));
      }
    }
  } finally {
    for (const c of contenders) await c.teardown?.();
  }
  const results: ContenderResult[] = contenders.map((c, i) => ({
    name: c.name,
    median: median(rounds[i] as number[]),
    rounds: rounds[i] as number[],
  }));
  const [subject, ...peers] = results as [ContenderResult, ...ContenderResult[]];
  const ratios: Record<string, number> = {};
  for (const peer of peers) {
    ratios[peer.name] = median(subject.rounds.map((s, r) => s / (peer.rounds[r] ?? Number.NaN)));
  }
  const targets: ComparisonResult['targets'] = [];
  const { minOpsPerSec, minRatio } = comparison.target ?? {};
  if (minOpsPerSec !== undefined) {
    targets.push({ what: `>= ${formatRate(minOpsPerSec)} ${comparison.unit}/s`, met: subject.median >= minOpsPerSec });
  }
  for (const [peer, min] of Object.entries(minRatio ?? {})) {
    const ratio = ratios[peer];
    targets.push({ what: `>= ${min}x ${peer}`, met: ratio !== undefined && ratio >= min });
  }
  return { name: comparison.name, unit: comparison.unit, subject, peers, ratios, targets };
}

/** 1234567 -> `1.23M`. */
export function formatRate(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}K`;
  return value.toFixed(1);
}
