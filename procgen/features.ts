import { BIOMES, BIOME_NAMES } from './biomes.ts';
import type { BiomeName } from './biomes.ts';
import { hash2 } from './fractalNoise.ts';

/** Tile features (ids stored per tile). */
export const Feature = { none: 0, tree: 1, rock: 2, ruin: 3 } as const;
/** Feature names in id order. */
export const FEATURE_NAMES = ['none', 'tree', 'rock', 'ruin'] as const;
/** A feature's name. */
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** How a feature changes its tile: extra movement cost, cover (0..1), and whether it blocks. */
export const FEATURE_EFFECTS: readonly { readonly extraCost: number; readonly cover: number; readonly blocks: boolean }[] = [
  { extraCost: 0, cover: 0, blocks: false },
  { extraCost: 0.5, cover: 0.6, blocks: false },
  { extraCost: 0, cover: 0.8, blocks: true },
  { extraCost: 0.3, cover: 0.5, blocks: false },
];

/** Per-tile feature placement: a pure function of (salt, biome, tile), so chunks never depend on each other. */
export type FeaturePicker = (biome: number, tx: number, ty: number) => number;

/**
 * Build a feature picker from per-biome probabilities (the biome table's defaults, overridden per biome by
 * `overrides`). `salt` should come from the world's seeded Rng.
 */
export function createFeaturePicker(
  salt: number,
  overrides: Partial<Record<BiomeName, { trees: number; rocks: number; ruins: number }>>,
): FeaturePicker {
  const thresholds = BIOMES.map((b, i) => {
    const d = overrides[BIOME_NAMES[i] as BiomeName] ?? b.features;
    return [d.trees, d.trees + d.rocks, d.trees + d.rocks + d.ruins] as const;
  });
  return (biome, tx, ty) => {
    const t = thresholds[biome];
    if (!t || t[2] <= 0) return Feature.none;
    const r = hash2(salt, tx, ty);
    return r < t[0] ? Feature.tree : r < t[1] ? Feature.rock : r < t[2] ? Feature.ruin : Feature.none;
  };
}
