/** The `q`-quantile (0..1) of a sample, nearest rank (shared with the load-test reports). */
export { quantile } from '../tools/loadtest/quantile.ts';

/** Round for printing and JSON. */
export function round(x: number, digits = 3): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

/** Force a full GC when node runs with --expose-gc (the bench scripts do). */
export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

/** A fixed CPU loop (ms), to compare figures across noisy machines. */
export function baselineMs(): number {
  const t = performance.now();
  let x = 0;
  for (let i = 0; i < 2_000_000; i++) x = (x + Math.sqrt(i) * 1.0001) % 1e9;
  if (x < 0) console.log(x);
  return performance.now() - t;
}
