import { BIOMES, Feature, Structure } from '../procgen/index.ts';
import type { Chunk } from '../procgen/index.ts';

/** An RGB colour, each 0..255. */
export type Rgb = readonly [number, number, number];

const FEATURE_TINT: Readonly<Record<number, Rgb | undefined>> = {
  [Feature.tree]: [28, 78, 34],
  [Feature.rock]: [96, 92, 88],
  [Feature.ruin]: [150, 120, 96],
};
const STRUCTURE_COLOUR: Readonly<Record<number, Rgb | undefined>> = {
  [Structure.floor]: [196, 184, 160],
  [Structure.wall]: [52, 46, 44],
  [Structure.door]: [170, 100, 40],
};

/** Colour of tile `i` of a chunk: the biome's colour shaded by height, then features and lair structures on top. */
export function tileColour(c: Chunk, i: number): Rgb {
  const s = STRUCTURE_COLOUR[c.structure[i] as number];
  if (s) return s;
  const f = FEATURE_TINT[c.feature[i] as number];
  if (f) return f;
  const base = (BIOMES[c.biome[i] as number] ?? BIOMES[0]!).color;
  const shade = 0.8 + 0.4 * (c.height[i] as number);
  return [Math.min(255, Math.round(base[0] * shade)), Math.min(255, Math.round(base[1] * shade)), Math.min(255, Math.round(base[2] * shade))];
}

/** FNV-1a of a string (32 bits). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A stable CSS colour per species (the same species is the same colour in every client). Players are blue,
 * the own avatar gold; monsters get a hue from the species name, kept away from the player blues.
 */
export function entityColour(e: { readonly kind: string; readonly species: string }, own = false): string {
  if (own) return 'hsl(45, 100%, 55%)';
  if (e.kind === 'player') return 'hsl(210, 90%, 60%)';
  const h = hash(e.species || e.kind);
  const hue = (h % 260 + 250) % 360; // 250..150 going round through red: skips 150..250 (blues)
  const light = 45 + ((h >>> 9) % 15);
  return `hsl(${hue}, 70%, ${light}%)`;
}

/** Health bar colour for a fraction of health 0..1: green, then yellow, then red. */
export function healthColour(fraction: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  return `hsl(${Math.round(f * 120)}, 80%, 45%)`;
}
