import seedrandom from 'seedrandom';

/** Saved state of an {@link Rng}: plain JSON, enough to resume the stream exactly. */
export interface RngState {
  /** The seed path this stream was created from (root seed plus fork labels). */
  readonly seed: string;
  /** Internal state of the Alea generator. */
  readonly alea: { c: number; s0: number; s1: number; s2: number };
}

/** A weighted choice for {@link Rng.weighted}. Weights are relative and must be ≥ 0. */
export interface Weighted<T> {
  readonly value: T;
  readonly weight: number;
}

type AleaPrng = seedrandom.PRNG & { state(): RngState['alea'] };

/**
 * Seeded random number generator over `seedrandom`'s Alea algorithm.
 *
 * Every random draw in the simulation comes from one of these. `fork(label)` derives an independent
 * stream from the seed path and the label only (never from how many draws the parent made), so a new
 * draw in one system does not shift the numbers another system sees.
 */
export class Rng {
  readonly seed: string;
  private readonly prng: AleaPrng;

  private constructor(seed: string, prng: AleaPrng) {
    this.seed = seed;
    this.prng = prng;
  }

  /** A fresh stream for a seed. Numbers and strings with the same text give the same stream. */
  static create(seed: string | number): Rng {
    const s = String(seed);
    return new Rng(s, seedrandom.alea(s, { state: true }) as AleaPrng);
  }

  /** Resume a stream from {@link save}d state. */
  static restore(state: RngState): Rng {
    if (!state || typeof state.seed !== 'string' || !state.alea || typeof state.alea.c !== 'number') {
      throw new TypeError('Rng.restore: state must be { seed: string, alea: { c, s0, s1, s2 } }');
    }
    return new Rng(state.seed, seedrandom.alea('', { state: { ...state.alea } }) as AleaPrng);
  }

  /** An independent stream named `label` under this one (e.g. `fork('terrain')`, `fork('actor:42')`). */
  fork(label: string): Rng {
    return Rng.create(`${this.seed}/${label}`);
  }

  /** The generator's state (c, s0, s1, s2) written into `out` at `at`: a save without the wrapper objects. */
  saveInto(out: Float64Array, at: number): void {
    const a = this.prng.state();
    out[at] = a.c;
    out[at + 1] = a.s0;
    out[at + 2] = a.s1;
    out[at + 3] = a.s2;
  }

  /** The state to pass to {@link Rng.restore}. */
  save(): RngState {
    return { seed: this.seed, alea: this.prng.state() };
  }

  /** A float in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** A float in [min, max). */
  float(min = 0, max = 1): number {
    return min + (max - min) * this.prng();
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`Rng.int: need integers min <= max, got ${min}, ${max}`);
    }
    return min + Math.floor(this.prng() * (max - min + 1));
  }

  /** True with probability `p` (0..1). */
  chance(p: number): boolean {
    return this.prng() < p;
  }

  /** A uniformly chosen element. Throws on an empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick: empty array');
    return items[Math.floor(this.prng() * items.length)] as T;
  }

  /** An element chosen with probability proportional to its weight. Throws when no weight is positive. */
  weighted<T>(items: readonly Weighted<T>[]): T {
    let total = 0;
    for (const it of items) {
      if (!(it.weight >= 0) || !Number.isFinite(it.weight)) {
        throw new RangeError(`Rng.weighted: weight must be a finite number >= 0, got ${it.weight}`);
      }
      total += it.weight;
    }
    if (total <= 0) throw new RangeError('Rng.weighted: no positive weight');
    let r = this.prng() * total;
    for (const it of items) {
      if (it.weight === 0) continue;
      r -= it.weight;
      if (r < 0) return it.value;
    }
    // Floating-point rounding: fall back to the last positive weight.
    for (let i = items.length - 1; i >= 0; i--) if ((items[i] as Weighted<T>).weight > 0) return (items[i] as Weighted<T>).value;
    throw new RangeError('Rng.weighted: unreachable');
  }

  /** A shuffled copy (Fisher–Yates); the input is left alone. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng() * (i + 1));
      const t = out[i] as T;
      out[i] = out[j] as T;
      out[j] = t;
    }
    return out;
  }

  /** A normally distributed number (Box–Muller; two uniform draws per call). */
  normal(mean = 0, stdDev = 1): number {
    let u = this.prng();
    while (u === 0) u = this.prng();
    const v = this.prng();
    return mean + stdDev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
