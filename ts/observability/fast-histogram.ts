/**
 * A histogram for hot paths, registered in a prom-client Registry and exposed exactly as a
 * prom-client Histogram is (`_bucket` with `le`, `_sum`, `_count`), but recording with a few
 * array writes instead of prom-client's per-call label hashing and closures. It holds counts only;
 * it never throws on a bad sample (a non-finite value or unknown label is ignored and counted).
 */
import type { Registry } from 'prom-client';
import type { HistogramMetric, Labels } from './metrics.js';

interface Series {
  labels: Record<string, string | number>;
  /** Per bucket (not cumulative); the last slot is +Inf. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** One value of prom-client's `get()` shape. */
interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
  /** prom-client sets it on buckets (null without exemplars). */
  exemplar?: null;
}

const SEPARATOR = '\u0001';
/** The map key of the series without labels (no label value can produce it). */
const UNLABELLED = '\u0002unlabelled';

/** A histogram with prom-client's exposition and a cheap `observe`. */
export class FastHistogram<L extends string = string> implements HistogramMetric<L> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();
  private readonly bounds: Float64Array;
  private unlabelled: Series | undefined;
  /** Samples ignored because of a non-finite value or a label outside `labelNames`. */
  rejected = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    buckets: readonly number[],
    registry: Registry,
  ) {
    this.bounds = Float64Array.from(buckets.toSorted((a, b) => a - b));
    registry.registerMetric(this as never);
  }

  private seriesFor(labels: Labels<L> | undefined): Series | undefined {
    if (!labels || this.labelNames.length === 0) {
      if (!this.unlabelled) {
        this.unlabelled = this.newSeries({});
        this.series.set(UNLABELLED, this.unlabelled);
      }
      return this.unlabelled;
    }
    let key: string;
    let given = 0;
    if (this.labelNames.length === 1) {
      const value = labels[this.labelNames[0] as L];
      if (value !== undefined) given = 1;
      key = typeof value === 'string' ? value : `${value ?? ''}${SEPARATOR}`;
    } else {
      key = '';
      for (const name of this.labelNames) {
        const value = labels[name];
        if (value !== undefined) given++;
        key += `${value ?? ''}${SEPARATOR}`;
      }
    }
    let series = this.series.get(key);
    if (!series) {
      for (const name in labels) {
        if (!this.labelNames.includes(name as L)) return undefined;
      }
      if (given === 0) return this.seriesFor(undefined);
      const own: Record<string, string | number> = {};
      for (const name of this.labelNames) {
        const value = labels[name];
        if (value !== undefined) own[name] = value;
      }
      series = this.newSeries(own);
      this.series.set(key, series);
    }
    return series;
  }

  private newSeries(labels: Record<string, string | number>): Series {
    return { labels, counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
  }

  /** Records `value` (seconds, for the latency histograms). */
  observe(value: number): void;
  observe(labels: Labels<L>, value: number): void;
  observe(a: number | Labels<L>, b?: number): void {
    const value = typeof a === 'number' ? a : (b as number);
    const series = this.seriesFor(typeof a === 'number' ? undefined : a);
    if (!series || !Number.isFinite(value)) {
      this.rejected++;
      return;
    }
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    series.counts[i] = (series.counts[i] as number) + 1;
    series.sum += value;
    series.count++;
  }

  /** Starts a timer; the returned function records the seconds elapsed and returns them. */
  startTimer(labels?: Labels<L>): (more?: Labels<L>) => number {
    const start = process.hrtime.bigint();
    return (more) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const all = more ? { ...labels, ...more } : labels;
      if (all) this.observe(all, seconds);
      else this.observe(seconds);
      return seconds;
    };
  }

  /** Forgets every observation. */
  reset(): void {
    this.series.clear();
    this.unlabelled = undefined;
  }

  /** The values in prom-client's shape (read by the Registry at scrape time). */
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const values: Sample[] = [];
    for (const series of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        cumulative += series.counts[i] as number;
        const le = i < this.bounds.length ? (this.bounds[i] as number) : '+Inf';
        values.push({ labels: { le, ...series.labels }, value: cumulative, metricName: `${this.name}_bucket`, exemplar: null });
      }
      values.push({ labels: { ...series.labels }, value: series.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...series.labels }, value: series.count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }
}
