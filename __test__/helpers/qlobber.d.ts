/** The small part of qlobber's API the tests and benchmarks use. */
declare module 'qlobber' {
  interface QlobberOptions {
    separator?: string;
    wildcard_one?: string;
    wildcard_some?: string;
    max_words?: number;
    max_wildcard_somes?: number;
  }
  class Qlobber {
    constructor(options?: QlobberOptions);
    add(topic: string, value: unknown): this;
    remove(topic: string, value?: unknown): this;
    match(topic: string): unknown[];
  }
  class QlobberDedup {
    constructor(options?: QlobberOptions);
    add(topic: string, value: unknown): this;
    remove(topic: string, value?: unknown): this;
    match(topic: string): Set<unknown>;
  }
  const qlobber: { Qlobber: typeof Qlobber; QlobberDedup: typeof QlobberDedup };
  export default qlobber;
}
