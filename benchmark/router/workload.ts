/**
 * The routing workload: a realistic mix of subscriptions (70% exact, 20% with one `*`, 10% with
 * `#`) over a small vocabulary, and 4-word topics drawn from the same vocabulary.
 */

const SERVICES = Array.from({ length: 40 }, (_, i) => `svc${i}`);
const ENTITIES = ['user', 'order', 'invoice', 'cart', 'item', 'payment', 'shipment', 'account', 'session', 'report'];
const ACTIONS = ['created', 'updated', 'deleted', 'viewed', 'failed'];
const REGIONS = ['eu', 'us', 'ap', 'sa', 'af'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;

/** `count` subscription patterns in the 70/20/10 mix. */
export function patterns(count: number, seed = 1): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = r();
    const words = [pick(r, SERVICES), pick(r, ENTITIES), pick(r, ACTIONS), `${pick(r, REGIONS)}${i % 50}`];
    if (kind < 0.7) out.push(words.join('.'));
    else if (kind < 0.9) {
      words[Math.floor(r() * 4)] = '*';
      out.push(words.join('.'));
    } else out.push(r() < 0.5 ? `${words[0]}.${words[1]}.#` : `#.${words[2]}.${words[3]}`);
  }
  return out;
}

/** `count` 4-word topics from the same vocabulary. */
export function topics(count: number, seed = 2): string[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => [pick(r, SERVICES), pick(r, ENTITIES), pick(r, ACTIONS), `${pick(r, REGIONS)}${i % 50}`].join('.'));
}
