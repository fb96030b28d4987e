import type { Rng } from '../shared/index.ts';
import { createFractalNoise } from './fractalNoise.ts';
import type { WorldParams } from './params.ts';

/** Height, moisture and temperature of one tile, each 0..1 (temperature already lowered by altitude). */
export interface ClimateSample {
  height: number;
  moisture: number;
  temperature: number;
}

/** Per-tile climate layers of a square block, row-major (index = ly × size + lx). */
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
 * Octaves of the height field at least this many lattice steps long are sampled on the lattice and interpolated,
 * like the slow fields: with the default step of 4 tiles, the two broadest (192 and 96 tiles) of five. Linear
 * interpolation over a 24th of a wave is off by under 1 % of the octave's amplitude, where the warp does not
 * squeeze it; each of those octaves then costs 289 samples per chunk instead of 4,096, and calls of
 * simplex-noise were most of a chunk's time and, as boxed numbers, most of its garbage.
 */
const LATTICE_OCTAVE_STEPS = 24;

/**
 * Climate from layered simplex noise: a domain-warped fBm height field, and slowly varying moisture,
 * temperature and warp fields sampled on a global lattice every `noise.coarseStep` tiles and interpolated
 * (the lattice is anchored to world coordinates, so chunks agree along their borders). The height field's
 * broad octaves are taken on the same lattice, at the warped lattice points; the others at every tile.
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
  let broad = 0;
  while (broad < octaves && (heightNoise.frequencies[broad] as number) * k * LATTICE_OCTAVE_STEPS <= 1) broad++;
  const { seaLevel, lapse } = p.biomes;
  const lapseScale = lapse / (1 - seaLevel || 1);

  /** Temperature `t` lowered by altitude at height `h`. */
  const coldAt = (t: number, h: number): number => {
    const temp = t - (h > seaLevel ? (h - seaLevel) * lapseScale : 0);
    return temp < 0 ? 0 : temp;
  };
  /** The broad octaves' raw sum at lattice point (x, y), taken where the warp moves that point. */
  const broadAt = (x: number, y: number): number => heightNoise.partial(x + (warpX(x, y) - 0.5) * amp, y + (warpY(x, y) - 0.5) * amp, 0, broad);
  /** Per-tile work arrays of `block`, kept between calls (a chunk's worth is 128 KB). */
  let scratch = { xs: new Float64Array(0), ys: new Float64Array(0), h: new Float64Array(0), t: new Float64Array(0), length: 0 };

  return {
    sample(tx, ty) {
      const gx = Math.floor(tx / k);
      const gy = Math.floor(ty / k);
      const fx = (tx - gx * k) / k;
      const fy = (ty - gy * k) / k;
      const ax = gx * k, ay = gy * k, bx = ax + k, by = ay + k;
      const field = (f: (x: number, y: number) => number): number => lerp2(f(ax, ay), f(bx, ay), f(ax, by), f(bx, by), fx, fy);
      const wx = field(warpX), wy = field(warpY);
      const v = heightNoise.partial(tx + (wx - 0.5) * amp, ty + (wy - 0.5) * amp, broad, octaves, broad > 0 ? field(broadAt) : 0);
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
      const lat = (f: (x: number, y: number) => number): Float64Array => {
        const a = new Float64Array(g * g);
        for (let j = 0; j < g; j++) for (let i = 0; i < g; i++) a[j * g + i] = f(x0 + i * k, y0 + j * k);
        return a;
      };
      const lwx = lat(warpX), lwy = lat(warpY), lm = lat(moistureNoise), lt = lat(temperatureNoise);
      const lb = broad > 0 ? lat(broadAt) : null;
      const cells = size * size;
      const height = new Float32Array(cells);
      const moisture = new Float32Array(cells);
      const temperature = new Float32Array(cells);
      if (scratch.length < cells) scratch = { xs: new Float64Array(cells), ys: new Float64Array(cells), h: new Float64Array(cells), t: new Float64Array(cells), length: cells };
      const { xs, ys, h, t } = scratch;
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
          h[idx] = lb ? lerp2(lb[i00] as number, lb[i10] as number, lb[i01] as number, lb[i11] as number, fx, fy) : 0;
        }
      }
      heightNoise.addOctaves(xs, ys, cells, h, broad, octaves);
      for (let idx = 0; idx < cells; idx++) {
        const hv = heightNoise.normalise(h[idx] as number);
        height[idx] = hv;
        temperature[idx] = coldAt(t[idx] as number, hv);
      }
      return { height, moisture, temperature };
    },
  };
}
