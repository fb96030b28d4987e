import { describe, expect, it } from 'vitest';
import { createClimateSampler } from '../../procgen/climate.ts';
import { createFractalNoise } from '../../procgen/fractalNoise.ts';
import { parseWorldParams } from '../../procgen/index.ts';
import { Rng } from '../../shared/index.ts';

describe('climate', () => {
  it('taking the broad and middle height octaves on lattices stays within a hundredth of sampling every tile', () => {
    const p = parseWorldParams({ seed: 'lattice' });
    const n = p.noise, k = n.coarseStep, amp = n.warp.amplitude * 2;
    const climate = createClimateSampler(Rng.create('lattice'), p);
    // The same fields, built from the same streams, with every octave of the height taken at each tile.
    const rng = Rng.create('lattice');
    const height = createFractalNoise(rng.fork('height'), n.height, 1.5);
    const warp = { frequency: n.warp.frequency, octaves: n.warp.octaves, lacunarity: 2, persistence: 0.5 };
    const warpX = createFractalNoise(rng.fork('warp:x'), warp, 1);
    const warpY = createFractalNoise(rng.fork('warp:y'), warp, 1);
    const lerped = (f: (x: number, y: number) => number, tx: number, ty: number): number => {
      const ax = Math.floor(tx / k) * k, ay = Math.floor(ty / k) * k, fx = (tx - ax) / k, fy = (ty - ay) / k;
      const top = f(ax, ay) + (f(ax + k, ay) - f(ax, ay)) * fx;
      const bottom = f(ax, ay + k) + (f(ax + k, ay + k) - f(ax, ay + k)) * fx;
      return top + (bottom - top) * fy;
    };
    expect(height.frequencies.filter((f) => f * k * 24 <= 1).length).toBe(2); // the two broadest of five, every 4 tiles
    expect(height.frequencies.filter((f) => f * (k / 2) * 24 <= 1).length).toBe(3); // and the next, every 2 tiles
    const block = climate.block(-64, 128, 64);
    let worst = 0, sum = 0;
    for (let i = 0; i < 64 * 64; i++) {
      const tx = -64 + (i % 64), ty = 128 + Math.floor(i / 64);
      const exact = height(tx + (lerped(warpX, tx, ty) - 0.5) * amp, ty + (lerped(warpY, tx, ty) - 0.5) * amp);
      const err = Math.abs((block.height[i] as number) - exact);
      worst = Math.max(worst, err);
      sum += err;
    }
    expect(worst).toBeLessThan(0.01);
    expect(sum / 4096).toBeLessThan(0.002);
    expect(worst).toBeGreaterThan(0); // the lattice is really in use
  });

  it('sample() gives the bits of block() for every tile, and a block\'s height survives the next block', () => {
    const p = parseWorldParams({ seed: 'bits' });
    const climate = createClimateSampler(Rng.create('bits'), p);
    const first = climate.block(-128, 64, 64);
    const height = first.height.slice(), moisture = first.moisture.slice(), temperature = first.temperature.slice();
    const next = climate.block(0, 0, 64);
    expect(next.height).not.toBe(first.height);
    expect(first.height).toEqual(height);
    let sameMoisture = 0;
    for (let i = 0; i < 64 * 64; i++) {
      const s = climate.sample(-128 + (i % 64), 64 + Math.floor(i / 64));
      expect([s.height, s.moisture, s.temperature]).toEqual([height[i], moisture[i], temperature[i]]);
      if (next.moisture[i] === moisture[i]) sameMoisture++;
    }
    expect(sameMoisture).toBeLessThan(64 * 64); // the work arrays really hold the second block now
  });
});
