import type { WorldGen } from '../../procgen/index.ts';

const BIOME_CHAR: Record<string, string> = {
  deepWater: '~', shallowWater: '-', beach: '.', grassland: '"', forest: 'T', swamp: '%', desert: ':', hills: 'n', mountains: '^', snow: '*',
};

/** An ASCII picture of a region, one character per `step` tiles: biomes, with lair structures on top. */
export function asciiMap(w: WorldGen, x0: number, y0: number, width: number, height: number, step = 1): string {
  const lines: string[] = [];
  for (let y = y0; y < y0 + height; y += step) {
    let line = '';
    for (let x = x0; x < x0 + width; x += step) {
      const t = w.tile(x, y);
      line += t.structure === 'floor' ? '#' : t.structure === 'door' ? '+' : t.structure === 'wall' ? 'X'
        : t.feature === 'rock' ? 'o' : BIOME_CHAR[t.biome];
    }
    lines.push(line);
  }
  return lines.join('\n');
}
