/** Latency percentiles from raw samples (exact: the samples are sorted once). Numbers only. */

/** p50/p95/p99/max in ms and the sample count. */
export interface LatencyFigures {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The figures of `samples` (ms); nearest-rank percentiles. */
export function percentiles(samples: readonly number[]): LatencyFigures {
  const sorted = samples.toSorted((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? Number.NaN };
}
