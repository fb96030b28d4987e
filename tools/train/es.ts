import { Rng } from '../../shared/index.ts';

/** Settings of the evolution strategy. */
export interface EsOptions {
  /** Pairs of mirrored perturbations per generation (the population is twice this). */
  readonly pairs: number;
  /** Standard deviation of the perturbations. */
  readonly sigma: number;
  /** Adam step size. */
  readonly lr: number;
  /** Weight decay per step (a pull of the parameters towards 0, scaled by lr). */
  readonly decay: number;
}

/** Perturbation `pair` of generation `g`: standard normal numbers drawn from the run's seed, the same in every worker. */
export function noise(seed: string, g: number, pair: number, d: number): Float64Array {
  const rng = Rng.create(`${seed}/noise/${g}/${pair}`);
  const e = new Float64Array(d);
  for (let i = 0; i < d; i++) e[i] = rng.normal();
  return e;
}

/** θ + sign·σ·ε. */
export function perturbed(theta: Float64Array, eps: Float64Array, sigma: number, sign: 1 | -1): Float64Array {
  const out = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) out[i] = (theta[i] as number) + sign * sigma * (eps[i] as number);
  return out;
}

/**
 * Centred ranks of `fitness` in [-0.5, 0.5] (ties share their mean rank): the update then depends on the order
 * of the candidates only, so one lucky battle cannot dominate a generation.
 */
export function centredRanks(fitness: readonly number[]): number[] {
  const n = fitness.length;
  const idx = fitness.map((_, i) => i).sort((a, b) => (fitness[a] as number) - (fitness[b] as number) || a - b);
  const ranks = new Array<number>(n);
  for (let s = 0; s < n;) {
    let e = s;
    while (e + 1 < n && fitness[idx[e + 1] as number] === fitness[idx[s] as number]) e++;
    const r = (s + e) / 2;
    for (let k = s; k <= e; k++) ranks[idx[k] as number] = n > 1 ? r / (n - 1) - 0.5 : 0;
    s = e + 1;
  }
  return ranks;
}

/**
 * Natural evolution strategies with mirrored sampling (Salimans et al. 2017): the gradient estimate of the
 * expected fitness is Σ (rank⁺ − rank⁻)·ε / (2·pairs·σ), followed by an Adam step.
 */
export class EvolutionStrategy {
  readonly theta: Float64Array;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(theta0: Float64Array, readonly seed: string, readonly o: EsOptions) {
    this.theta = Float64Array.from(theta0);
    this.m = new Float64Array(theta0.length);
    this.v = new Float64Array(theta0.length);
  }

  /** Candidate `j` of generation `g` (even j: +ε of pair j/2, odd j: −ε). */
  candidate(g: number, j: number): Float64Array {
    return perturbed(this.theta, noise(this.seed, g, j >> 1, this.theta.length), this.o.sigma, j % 2 === 0 ? 1 : -1);
  }

  /** Update θ from the fitness of the 2·pairs candidates of generation `g` (in candidate order). */
  step(g: number, fitness: readonly number[]): void {
    const { pairs, sigma, lr, decay } = this.o;
    if (fitness.length !== 2 * pairs) throw new Error(`evolution strategy: ${fitness.length} fitness values, expected ${2 * pairs}`);
    const ranks = centredRanks(fitness);
    const d = this.theta.length;
    const grad = new Float64Array(d);
    for (let p = 0; p < pairs; p++) {
      const w = (ranks[2 * p] as number) - (ranks[2 * p + 1] as number);
      if (w === 0) continue;
      const eps = noise(this.seed, g, p, d);
      for (let i = 0; i < d; i++) grad[i] = (grad[i] as number) + w * (eps[i] as number);
    }
    this.t++;
    const b1 = 0.9, b2 = 0.999, c1 = 1 - b1 ** this.t, c2 = 1 - b2 ** this.t;
    for (let i = 0; i < d; i++) {
      const gi = (grad[i] as number) / (2 * pairs * sigma);
      this.m[i] = b1 * (this.m[i] as number) + (1 - b1) * gi;
      this.v[i] = b2 * (this.v[i] as number) + (1 - b2) * gi * gi;
      // Ascent: fitness is to be maximised.
      this.theta[i] = (this.theta[i] as number) * (1 - lr * decay) + (lr * ((this.m[i] as number) / c1)) / (Math.sqrt((this.v[i] as number) / c2) + 1e-8);
    }
  }
}
