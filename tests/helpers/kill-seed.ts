// The seed and the number of kill points of the kill tests (tests/cli-kill.test.ts and
// tests/browser/killed-*.test.ts), which print the seed so a run can be replayed.

/** OFFBROWSE_KILL_SEED replays a run; by default each run draws a new seed (and prints it). */
export const KILL_SEED = Number(process.env.OFFBROWSE_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));

/**
 * Kill points drawn from the seed for each kind of work (OFFBROWSE_KILL_POINTS). One by default, to keep
 * CI short: each run's new seed puts it at another step and delay, so runs over time cover them all.
 */
export const KILL_POINTS = Number(process.env.OFFBROWSE_KILL_POINTS ?? 1);

/** mulberry32: a small PRNG whose sequence a seed fixes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
