import { createNoise2D } from 'simplex-noise';
import type { Rng } from '../shared/index.ts';

/** A pure 2-D sampler: tile coordinates in, a value out. */
export type Sampler2D = (x: number, y: number) => number;

/** Settings of {@link createFractalNoise}; frequency in cycles per tile. */
export interface FractalSettings {
  readonly frequency: number;
  readonly octaves: number;
  readonly lacunarity: number;
  readonly persistence: number;
}

/**
 * A fractal sampler that can also work on a range of its octaves, and on many points at once (same values as
 * calling it point by point).
 */
export interface FractalNoise extends Sampler2D {
  /** Frequency of each octave in cycles per tile, lowest first. */
  readonly frequencies: readonly number[];
  /**
   * `start` plus the raw sum of octaves [from, to) at (x, y), added one octave at a time: the part of the value
   * those octaves add before {@link normalise}.
   */
  partial(x: number, y: number, from: number, to: number, start?: number): number;
  /**
   * Add the raw sum of octaves [from, to) at (xs[k], ys[k]) to out[k], for k < n, one octave at a time over all
   * points: a chunk's height field then costs one call of simplex-noise per point and octave, with no call of
   * the sampler (and its loop over the octaves) per point around it.
   */
  addOctaves(xs: Float64Array, ys: Float64Array, n: number, out: Float64Array, from: number, to: number): void;
  /** A raw sum of all the octaves mapped to 0..1, as the sampler maps it. */
  normalise(v: number): number;
}

/**
 * Fractal Brownian motion over simplex noise, normalised to 0..1 (0.5 on average). Each octave gets its
 * own simplex permutation drawn from `rng`, so layers never share a stream. `contrast` (≥ 1) stretches
 * values away from 0.5 before clamping, since a sum of octaves bunches up around the middle.
 */
export function createFractalNoise(rng: Rng, s: FractalSettings, contrast = 1.6): FractalNoise {
  const octaves: { noise: Sampler2D; freq: number; amp: number }[] = [];
  let freq = s.frequency;
  let amp = 1;
  let total = 0;
  for (let o = 0; o < s.octaves; o++) {
    const octaveRng = rng.fork(`octave:${o}`);
    octaves.push({ noise: createNoise2D(() => octaveRng.next()), freq, amp });
    total += amp;
    freq *= s.lacunarity;
    amp *= s.persistence;
  }
  const scale = (0.5 * contrast) / (total || 1);
  const normalise = (v: number): number => {
    const r = 0.5 + v * scale;
    return r < 0 ? 0 : r > 1 ? 1 : r;
  };
  const partial = (x: number, y: number, from: number, to: number, start = 0): number => {
    let v = start;
    for (let i = from; i < to; i++) {
      const o = octaves[i] as (typeof octaves)[number];
      v += o.amp * o.noise(x * o.freq, y * o.freq);
    }
    return v;
  };
  const sample = (x: number, y: number): number => normalise(partial(x, y, 0, octaves.length));
  const addOctaves = (xs: Float64Array, ys: Float64Array, n: number, out: Float64Array, from: number, to: number): void => {
    // Each point's sum builds up in the same order as in `partial`, so both give the same bits.
    for (let i = from; i < to; i++) {
      const { noise, freq: f, amp: a } = octaves[i] as (typeof octaves)[number];
      for (let k = 0; k < n; k++) out[k] = (out[k] as number) + a * noise((xs[k] as number) * f, (ys[k] as number) * f);
    }
  };
  return Object.assign(sample, { frequencies: octaves.map((o) => o.freq), partial, addOctaves, normalise });
}

/**
 * A fast integer hash of (salt, x, y) mapped to [0, 1). Used for per-tile decisions (features) that must
 * not depend on visiting order; `salt` comes from the seeded Rng, so the world seed still drives it.
 */
export function hash2(salt: number, x: number, y: number): number {
  let h = (salt ^ Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
