import { describe, expect, it } from 'vitest';
import { createWorldGen, parseWorldParams } from '../../procgen/index.ts';
import { ValidationError } from '../../shared/index.ts';

describe('parseWorldParams', () => {
  it('fills defaults from just a seed', () => {
    const p = parseWorldParams({ seed: 42 });
    expect(p.chunkSize).toBe(64);
    expect(p.noise.height.octaves).toBeGreaterThan(1);
    expect(p.cache.maxChunks).toBeGreaterThan(0);
  });

  const bad: [unknown, string][] = [
    [{ seed: 1, noise: { height: { frequency: 0.01, octaves: 40, lacunarity: 2, persistence: 0.5 } } }, 'noise.height.octaves:'],
    [{ seed: 1, noise: { warp: { amplitude: -1, frequency: 0.01, octaves: 1 } } }, 'noise.warp.amplitude:'],
    [{ seed: 1, chunkSize: 8 }, 'chunkSize:'],
    [{ seed: 1, chunkSize: 60, noise: { coarseStep: 8 } }, 'noise.coarseStep: must divide chunkSize'],
    [{ seed: 1, biomes: { deepWater: 0.3, seaLevel: 0.2, beach: 0.41, hills: 0.62, mountains: 0.72, snowLine: 0.84, snowTemperature: 0.2, desertTemperature: 0.6, desertMoisture: 0.38, swampMoisture: 0.68, forestMoisture: 0.52, lapse: 0.35 } }, 'biomes.seaLevel: must be >= deepWater'],
    [{ seed: 1, lairs: { regionSize: 128, chance: 0.5, attempts: 4, rooms: [6, 2] } }, 'lairs.rooms:'],
    [{ seed: 1, features: { jungle: { trees: 1, rocks: 0, ruins: 0 } } }, 'features.jungle: unknown key'],
    [{ seed: 1, spawns: { densityScale: 'lots' } }, 'spawns.densityScale:'],
    [{ seed: 1, colour: 'blue' }, 'colour'],
    [{}, 'seed:'],
  ];
  it.each(bad)('names the bad field (%j)', (input, fragment) => {
    expect(() => parseWorldParams(input)).toThrow(ValidationError);
    expect(() => parseWorldParams(input)).toThrow(fragment);
  });

  it('createWorldGen validates too', () => {
    expect(() => createWorldGen({ seed: 1, cache: { maxChunks: 0 } })).toThrow(/cache\.maxChunks:/);
  });
});
