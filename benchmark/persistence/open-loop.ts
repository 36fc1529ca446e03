/**
 * Open-loop latency: sends at a fixed offered rate whatever the answers do, and measures each
 * send from its scheduled time, so a stall shows up as latency instead of silently lowering the
 * rate (no coordinated omission). Measures; never asserts.
 */

/** What one open-loop run saw. */
export interface OpenLoopRun {
  /** Latency of each successful send in ms, from its scheduled time. */
  samples: number[];
  errors: number;
  /** Sends per second actually started. */
  offeredRate: number;
}

/** Starts `count` calls of `send` at `rate` per second and waits for them all. */
export async function openLoop(send: () => Promise<boolean>, rate: number, count: number): Promise<OpenLoopRun> {
  const samples: number[] = [];
  let errors = 0;
  let finished = 0;
  const start = performance.now();
  let started = 0;
  let lastStart = start;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (started < due) {
        const scheduled = start + (started * 1000) / rate;
        started++;
        lastStart = performance.now();
        void send().then(
          (ok) => {
            if (ok) samples.push(performance.now() - scheduled);
            else errors++;
            if (++finished === count) resolve();
          },
          () => {
            errors++;
            if (++finished === count) resolve();
          },
        );
      }
      if (started < count) setTimeout(tick, 1);
    };
    tick();
  });
  return { samples, errors, offeredRate: (count * 1000) / Math.max(1, lastStart - start) };
}
