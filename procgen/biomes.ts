/** Biome names in id order: a tile stores its biome as the index into this list. */
export const BIOME_NAMES = [
  'deepWater', 'shallowWater', 'beach', 'grassland', 'forest', 'swamp', 'desert', 'hills', 'mountains', 'snow',
] as const;

/** A biome's name. */
export type BiomeName = (typeof BIOME_NAMES)[number];

/** Biome ids (indices into {@link BIOME_NAMES}), for typed-array storage. */
export const Biome = {
  deepWater: 0, shallowWater: 1, beach: 2, grassland: 3, forest: 4, swamp: 5, desert: 6, hills: 7, mountains: 8, snow: 9,
} as const satisfies Record<BiomeName, number>;

/** Ground properties of a biome before features and structures. */
export interface BiomeInfo {
  readonly name: BiomeName;
  /** Whether the bare ground can be walked on. */
  readonly walkable: boolean;
  /** Movement cost multiplier (1 open ground, higher slower; Infinity if unwalkable). */
  readonly moveCost: number;
  /** Cover offered by the ground itself, 0 (none) .. 1 (full). */
  readonly cover: number;
  /** Preview colour, [r, g, b] 0..255. */
  readonly color: readonly [number, number, number];
  /** Default feature probabilities per tile (0..1). */
  readonly features: { readonly trees: number; readonly rocks: number; readonly ruins: number };
}

/** The biome table, indexed by biome id. */
export const BIOMES: readonly BiomeInfo[] = [
  { name: 'deepWater', walkable: false, moveCost: Infinity, cover: 0, color: [24, 52, 120], features: { trees: 0, rocks: 0, ruins: 0 } },
  { name: 'shallowWater', walkable: true, moveCost: 3, cover: 0, color: [54, 98, 170], features: { trees: 0, rocks: 0.01, ruins: 0 } },
  { name: 'beach', walkable: true, moveCost: 1.2, cover: 0, color: [222, 208, 150], features: { trees: 0.005, rocks: 0.01, ruins: 0 } },
  { name: 'grassland', walkable: true, moveCost: 1, cover: 0, color: [116, 170, 80], features: { trees: 0.03, rocks: 0.01, ruins: 0.002 } },
  { name: 'forest', walkable: true, moveCost: 1.5, cover: 0.3, color: [50, 118, 56], features: { trees: 0.3, rocks: 0.01, ruins: 0.004 } },
  { name: 'swamp', walkable: true, moveCost: 2.5, cover: 0.2, color: [82, 104, 72], features: { trees: 0.08, rocks: 0, ruins: 0.002 } },
  { name: 'desert', walkable: true, moveCost: 1.3, cover: 0, color: [214, 184, 110], features: { trees: 0, rocks: 0.02, ruins: 0.003 } },
  { name: 'hills', walkable: true, moveCost: 2, cover: 0.2, color: [140, 130, 90], features: { trees: 0.04, rocks: 0.08, ruins: 0.002 } },
  { name: 'mountains', walkable: false, moveCost: Infinity, cover: 0.5, color: [120, 112, 108], features: { trees: 0, rocks: 0, ruins: 0 } },
  { name: 'snow', walkable: true, moveCost: 2.5, cover: 0.1, color: [236, 240, 246], features: { trees: 0.01, rocks: 0.04, ruins: 0 } },
];

/** Thresholds used by {@link classifyBiome} (a subset of the world parameters). */
export interface BiomeRules {
  readonly deepWater: number;
  readonly seaLevel: number;
  readonly beach: number;
  readonly hills: number;
  readonly mountains: number;
  readonly snowLine: number;
  readonly snowTemperature: number;
  readonly desertTemperature: number;
  readonly desertMoisture: number;
  readonly swampMoisture: number;
  readonly forestMoisture: number;
}

/**
 * Biome id for a climate sample. `height`, `moisture`, `temperature` are all 0..1 (temperature already
 * lowered with altitude).
 */
export function classifyBiome(height: number, moisture: number, temperature: number, r: BiomeRules): number {
  if (height < r.deepWater) return Biome.deepWater;
  if (height < r.seaLevel) return Biome.shallowWater;
  if (height < r.beach) return Biome.beach;
  if (height >= r.snowLine) return Biome.snow;
  if (height >= r.hills && temperature < r.snowTemperature) return Biome.snow;
  if (height >= r.mountains) return Biome.mountains;
  if (height >= r.hills) return Biome.hills;
  if (temperature > r.desertTemperature && moisture < r.desertMoisture) return Biome.desert;
  if (moisture > r.swampMoisture && height < (r.beach + r.hills) / 2) return Biome.swamp;
  if (moisture > r.forestMoisture) return Biome.forest;
  return Biome.grassland;
}
