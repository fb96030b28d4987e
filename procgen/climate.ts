import type { Rng } from '../shared/index.ts';
import { createFractalNoise } from './fractalNoise.ts';
import type { WorldParams } from './params.ts';

/** Height, moisture and temperature of one tile, each 0..1 (temperature already lowered by altitude). */
export interface ClimateSample {
  height: number;
  moisture: number;
  temperature: number;
}

/**
 * Per-tile climate layers of a square block, row-major (index = ly × size + lx). `height` is new and the
 * caller's to keep; `moisture` and `temperature` are the sampler's work arrays, overwritten by its next call of
 * `block` (a chunk classifies its biomes from them and keeps only the result: 32 KB less per cached chunk).
 */
export interface ClimateBlock {
  readonly height: Float32Array;
  readonly moisture: Float32Array;
  readonly temperature: Float32Array;
}

/** Samples the climate of any tile, pointwise or a whole block at once, with identical results. */
export interface ClimateSampler {
  /** Climate of tile (tx, ty). */
  sample(tx: number, ty: number): ClimateSample;
  /** Climate of the `size`×`size` block whose top-left tile is (x0, y0); x0, y0 and size multiples of the coarse step. */
  block(x0: number, y0: number, size: number): ClimateBlock;
}

function lerp2(l00: number, l10: number, l01: number, l11: number, fx: number, fy: number): number {
  const a = l00 + (l10 - l00) * fx;
  const b = l01 + (l11 - l01) * fx;
  return a + (b - a) * fy;
}

/**
 * Octaves of the height field at least this many lattice steps long are sampled on a lattice and interpolated,
 * like the slow fields. Linear interpolation over a 24th of a wave is off by under 1 % of the octave's amplitude,
 * where the warp does not squeeze it. With the default step of 4 tiles, the two broadest octaves (192 and 96
 * tiles) of five come from the coarse lattice (289 samples per chunk each, not 4,096) and the next (48 tiles)
 * from a lattice of half that step (1,089). Calls of simplex-noise were most of a chunk's time and, as boxed
 * numbers, most of its garbage.
 */
const LATTICE_OCTAVE_STEPS = 24;

/**
 * The value of lattice layer `a` (`g` points a side, one every `k` tiles) at local tile (lx, ly), interpolated.
 * On the far edge of the block (lx or ly = the block's size) the weight of the missing neighbour is exactly 0, so
 * the point's own value is taken there: the same bits a block whose lattice went on would give.
 */
function latticeAt(a: Float64Array, g: number, k: number, lx: number, ly: number): number {
  const gx = Math.floor(lx / k), gy = Math.floor(ly / k);
  const i00 = gy * g + gx;
  const i10 = gx + 1 < g ? i00 + 1 : i00;
  const i01 = gy + 1 < g ? i00 + g : i00;
  const i11 = gy + 1 < g ? i10 + g : i10;
  return lerp2(a[i00] as number, a[i10] as number, a[i01] as number, a[i11] as number, (lx - gx * k) / k, (ly - gy * k) / k);
}

/** The work arrays of {@link ClimateSampler.block} for blocks of `cells` tiles, `g`² coarse and `hg`² fine lattice points. */
function newScratch(cells: number, g: number, hg: number) {
  const f64 = (n: number): Float64Array => new Float64Array(n);
  return {
    cells, g, hg,
    xs: f64(cells), ys: f64(cells), h: f64(cells), t: f64(cells),
    moisture: new Float32Array(cells), temperature: new Float32Array(cells),
    lwx: f64(g * g), lwy: f64(g * g), lm: f64(g * g), lt: f64(g * g), lb: f64(g * g), lmid: f64(hg * hg),
  };
}

/**
 * Climate from layered simplex noise: a domain-warped fBm height field, and slowly varying moisture,
 * temperature and warp fields sampled on a global lattice every `noise.coarseStep` tiles and interpolated
 * (the lattice is anchored to world coordinates, so chunks agree along their borders). The height field's
 * broad octaves are taken on the same lattice and the middle ones on one of half its step, at the warped
 * lattice points; the fine ones at every tile.
 */
export function createClimateSampler(rng: Rng, p: WorldParams): ClimateSampler {
  const n = p.noise;
  const heightNoise = createFractalNoise(rng.fork('height'), n.height, 1.5);
  const moistureNoise = createFractalNoise(rng.fork('moisture'), n.moisture, 1.8);
  const temperatureNoise = createFractalNoise(rng.fork('temperature'), n.temperature, 1.8);
  const warpSettings = { frequency: n.warp.frequency, octaves: n.warp.octaves, lacunarity: 2, persistence: 0.5 };
  const warpX = createFractalNoise(rng.fork('warp:x'), warpSettings, 1);
  const warpY = createFractalNoise(rng.fork('warp:y'), warpSettings, 1);
  const k = n.coarseStep;
  const amp = n.warp.amplitude * 2;
  const octaves = heightNoise.frequencies.length;
  const freqs = heightNoise.frequencies;
  let broad = 0;
  while (broad < octaves && (freqs[broad] as number) * k * LATTICE_OCTAVE_STEPS <= 1) broad++;
  /** Step of the fine lattice (half the coarse one), 0 when the coarse step is too small to halve usefully. */
  const half = k >= 4 && k % 2 === 0 ? k / 2 : 0;
  let mid = broad;
  if (half > 0) while (mid < octaves && (freqs[mid] as number) * half * LATTICE_OCTAVE_STEPS <= 1) mid++;
  const { seaLevel, lapse } = p.biomes;
  const lapseScale = lapse / (1 - seaLevel || 1);

  /** Temperature `t` lowered by altitude at height `h`. */
  const coldAt = (t: number, h: number): number => {
    const temp = t - (h > seaLevel ? (h - seaLevel) * lapseScale : 0);
    return temp < 0 ? 0 : temp;
  };
  /** The octaves [from, to)'s raw sum at (x, y) moved by the warp (wx, wy). */
  const warpedPartial = (x: number, y: number, wx: number, wy: number, from: number, to: number): number =>
    heightNoise.partial(x + (wx - 0.5) * amp, y + (wy - 0.5) * amp, from, to);
  /** The broad octaves' raw sum at coarse lattice point (x, y). */
  const broadAt = (x: number, y: number): number => warpedPartial(x, y, warpX(x, y), warpY(x, y), 0, broad);
  /** Field `f` of the coarse lattice interpolated at tile (tx, ty). */
  const coarse = (f: (x: number, y: number) => number, tx: number, ty: number): number => {
    const ax = Math.floor(tx / k) * k, ay = Math.floor(ty / k) * k;
    return lerp2(f(ax, ay), f(ax + k, ay), f(ax, ay + k), f(ax + k, ay + k), (tx - ax) / k, (ty - ay) / k);
  };
  /** The middle octaves' raw sum at fine lattice point (x, y). */
  const midAt = (x: number, y: number): number => warpedPartial(x, y, coarse(warpX, x, y), coarse(warpY, x, y), broad, mid);
  /**
   * Work arrays of `block`, kept between calls: per tile (a chunk's worth is 160 KB) and per lattice point. Each
   * array a chunk allocated and dropped would count, until the next full collection, towards the external memory
   * that starts one.
   */
  let scratch = newScratch(0, 0, 0);

  return {
    sample(tx, ty) {
      const field = (f: (x: number, y: number) => number): number => coarse(f, tx, ty);
      const wx = field(warpX), wy = field(warpY);
      let start = broad > 0 ? field(broadAt) : 0;
      if (mid > broad) {
        const hx = Math.floor(tx / half) * half, hy = Math.floor(ty / half) * half;
        start = start + lerp2(midAt(hx, hy), midAt(hx + half, hy), midAt(hx, hy + half), midAt(hx + half, hy + half), (tx - hx) / half, (ty - hy) / half);
      }
      const v = heightNoise.partial(tx + (wx - 0.5) * amp, ty + (wy - 0.5) * amp, mid, octaves, start);
      const h = heightNoise.normalise(v);
      const out: ClimateSample = { height: h, moisture: field(moistureNoise), temperature: coldAt(field(temperatureNoise), h) };
      // Round like the Float32Array layers of block(), so both paths classify a tile the same way.
      out.height = Math.fround(out.height);
      out.moisture = Math.fround(out.moisture);
      out.temperature = Math.fround(out.temperature);
      return out;
    },
    block(x0, y0, size) {
      const g = size / k + 1;
      const hg = half > 0 ? size / half + 1 : 0;
      const cells = size * size;
      if (scratch.cells !== cells || scratch.g !== g || scratch.hg !== hg) scratch = newScratch(cells, g, hg);
      const { xs, ys, h, t, moisture, temperature, lwx, lwy, lm, lt } = scratch;
      const lat = (a: Float64Array, f: (x: number, y: number) => number): void => {
        for (let j = 0; j < g; j++) for (let i = 0; i < g; i++) a[j * g + i] = f(x0 + i * k, y0 + j * k);
      };
      lat(lwx, warpX);
      lat(lwy, warpY);
      lat(lm, moistureNoise);
      lat(lt, temperatureNoise);
      // The broad octaves at the coarse points and the middle ones at the fine points, each moved by the warp
      // (the same numbers broadAt and midAt give, without sampling the warp again).
      const lb = broad > 0 ? scratch.lb : null;
      if (lb) {
        for (let j = 0; j < g; j++) for (let i = 0; i < g; i++) lb[j * g + i] = warpedPartial(x0 + i * k, y0 + j * k, lwx[j * g + i] as number, lwy[j * g + i] as number, 0, broad);
      }
      const lmid = mid > broad ? scratch.lmid : null;
      if (lmid) {
        for (let j = 0; j < hg; j++) {
          for (let i = 0; i < hg; i++) {
            const lx = i * half, ly = j * half;
            lmid[j * hg + i] = warpedPartial(x0 + lx, y0 + ly, latticeAt(lwx, g, k, lx, ly), latticeAt(lwy, g, k, lx, ly), broad, mid);
          }
        }
      }
      const height = new Float32Array(cells);
      // Interpolate the coarse fields and find where each tile samples the height field (domain warp); then the
      // height of every tile, one octave at a time; then the temperature, lowered by altitude.
      for (let ly = 0; ly < size; ly++) {
        const gy = Math.floor(ly / k);
        const fy = (ly - gy * k) / k;
        for (let lx = 0; lx < size; lx++) {
          const gx = Math.floor(lx / k);
          const fx = (lx - gx * k) / k;
          const i00 = gy * g + gx, i10 = i00 + 1, i01 = i00 + g, i11 = i01 + 1;
          const wx = lerp2(lwx[i00] as number, lwx[i10] as number, lwx[i01] as number, lwx[i11] as number, fx, fy);
          const wy = lerp2(lwy[i00] as number, lwy[i10] as number, lwy[i01] as number, lwy[i11] as number, fx, fy);
          const idx = ly * size + lx;
          xs[idx] = x0 + lx + (wx - 0.5) * amp;
          ys[idx] = y0 + ly + (wy - 0.5) * amp;
          moisture[idx] = lerp2(lm[i00] as number, lm[i10] as number, lm[i01] as number, lm[i11] as number, fx, fy);
          t[idx] = lerp2(lt[i00] as number, lt[i10] as number, lt[i01] as number, lt[i11] as number, fx, fy);
          let hv = lb ? lerp2(lb[i00] as number, lb[i10] as number, lb[i01] as number, lb[i11] as number, fx, fy) : 0;
          if (lmid) {
            const hx = Math.floor(lx / half), hy = Math.floor(ly / half);
            const j00 = hy * hg + hx;
            hv = hv + lerp2(lmid[j00] as number, lmid[j00 + 1] as number, lmid[j00 + hg] as number, lmid[j00 + hg + 1] as number, (lx - hx * half) / half, (ly - hy * half) / half);
          }
          h[idx] = hv;
        }
      }
      heightNoise.addOctaves(xs, ys, cells, h, mid, octaves);
      for (let idx = 0; idx < cells; idx++) {
        const hv = heightNoise.normalise(h[idx] as number);
        height[idx] = hv;
        temperature[idx] = coldAt(t[idx] as number, hv);
      }
      return { height, moisture, temperature };
    },
  };
}
