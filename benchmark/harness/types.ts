/** The shapes a benchmark suite declares and the runner reports. Only types live here. */

/** One contender in a comparison: the project's path or a peer. */
export interface Contender {
  /** Label in tables and charts, e.g. `native crc32c` or `msgpackr pack`. */
  name: string;
  /** One call; it should do `ops` operations so timer overhead stays negligible. */
  fn: () => unknown | Promise<unknown>;
  /** Operations (messages, bytes, topics…) done by one call of `fn`. Default 1. */
  ops?: number;
  /** Runs once before the first measurement (connect, fill caches). */
  setup?: () => unknown | Promise<unknown>;
  /** Runs once after the last measurement. */
  teardown?: () => unknown | Promise<unknown>;
}

/** A target written in an issue, checked and reported (never asserted). */
export interface Target {
  /** Minimum operations per second of the subject. */
  minOpsPerSec?: number;
  /** Minimum median ratio of the subject to the named peer. */
  minRatio?: Record<string, number>;
}

/** The project's path against its peers, measured A/B interleaved in one process. */
export interface Comparison {
  name: string;
  /** What one operation is, for the table header (`msg`, `byte`, `topic`, `call`). */
  unit: string;
  subject: Contender;
  peers: Contender[];
  target?: Target;
}

/** Figures a suite measures outside the A/B harness (latency percentiles, memory). */
export interface SuiteExtra {
  /** A Markdown section appended to the suite's table. */
  markdown: string;
  /** The same figures as data, kept in latest.json. */
  data: Record<string, unknown>;
}

/** A named set of comparisons, run by `npm run bench <name>`. */
export interface Suite {
  name: string;
  description: string;
  comparisons: () => Comparison[] | Promise<Comparison[]>;
  /** Runs after the comparisons; for figures that are not throughput ratios. */
  extra?: () => Promise<SuiteExtra>;
}

/** Measured figures of one contender. */
export interface ContenderResult {
  name: string;
  /** Median operations per second over the rounds. */
  median: number;
  /** Operations per second of every round. */
  rounds: number[];
}

/** Measured figures of one comparison. */
export interface ComparisonResult {
  name: string;
  unit: string;
  subject: ContenderResult;
  peers: ContenderResult[];
  /** Median over the rounds of subject/peer, by peer name. */
  ratios: Record<string, number>;
  /** Each target and whether the run met it. */
  targets: { what: string; met: boolean }[];
}

/** Measured figures of one suite. */
export interface SuiteResult {
  suite: string;
  description: string;
  date: string;
  machine: { cpus: number; model: string; node: string; platform: string };
  comparisons: ComparisonResult[];
  extra?: SuiteExtra;
}
