import { stableHash } from '../shared/index.ts';
import { BIOMES, classifyBiome } from './biomes.ts';
import type { BiomeRules } from './biomes.ts';
import type { ClimateSampler } from './climate.ts';
import { FEATURE_EFFECTS, Feature } from './features.ts';
import type { FeaturePicker } from './features.ts';
import { Structure, lairStructureAt } from './lairs.ts';
import type { Lair } from './lairs.ts';

/**
 * One square block of tiles, all layers row-major (index = ly × size + lx, local coordinates). Its content
 * depends only on (seed, parameters, cx, cy).
 */
export interface Chunk {
  readonly cx: number;
  readonly cy: number;
  /** Side in tiles. */
  readonly size: number;
  /** World tile of the top-left corner (cx × size, cy × size). */
  readonly x0: number;
  readonly y0: number;
  /**
   * Height per tile, 0..1. Moisture and temperature only decide the biome and are not kept (the climate
   * sampler gives them for any tile, with the same bits).
   */
  readonly height: Float32Array;
  /** Biome id per tile (index into BIOMES). */
  readonly biome: Uint8Array;
  /** Feature id per tile (Feature). */
  readonly feature: Uint8Array;
  /** Structure id per tile (Structure): lair floors, walls, doors. */
  readonly structure: Uint8Array;
  /** Movement cost per tile: 1 open ground, higher slower, Infinity unwalkable. */
  readonly cost: Float32Array;
  /** Cover per tile, 0 (none) .. 1 (full). */
  readonly cover: Float32Array;
  /** Lairs whose rectangle or tunnel touches this chunk. */
  readonly lairs: readonly Lair[];
}

/** What a chunk is built from. */
export interface ChunkSources {
  readonly size: number;
  readonly climate: ClimateSampler;
  readonly rules: BiomeRules;
  readonly features: FeaturePicker;
  /** Lairs that may touch the rectangle (x0, y0, w, h) in tiles. */
  lairsTouching(x0: number, y0: number, w: number, h: number): readonly Lair[];
}

const STRUCTURE_COST = [NaN, 1, Infinity, 1] as const;
const STRUCTURE_COVER = [NaN, 0.2, 1, 0.6] as const;

/** Generate chunk (cx, cy): climate, biomes, features, then lair structures on top. */
export function generateChunk(src: ChunkSources, cx: number, cy: number): Chunk {
  const size = src.size;
  const x0 = cx * size, y0 = cy * size;
  const { height, moisture, temperature } = src.climate.block(x0, y0, size);
  const n = size * size;
  const biome = new Uint8Array(n);
  const feature = new Uint8Array(n);
  const structure = new Uint8Array(n);
  const cost = new Float32Array(n);
  const cover = new Float32Array(n);
  const biomes = BIOMES, effects = FEATURE_EFFECTS, rules = src.rules, pick = src.features;
  for (let i = 0; i < n; i++) {
    const tx = x0 + (i % size), ty = y0 + Math.floor(i / size);
    const b = classifyBiome(height[i] as number, moisture[i] as number, temperature[i] as number, rules);
    const info = biomes[b] as (typeof BIOMES)[number];
    biome[i] = b;
    const f = info.walkable ? pick(b, tx, ty) : 0;
    feature[i] = f;
    const fx = effects[f] as (typeof FEATURE_EFFECTS)[number];
    cost[i] = fx.blocks || !info.walkable ? Infinity : info.moveCost + fx.extraCost;
    cover[i] = Math.max(info.cover, fx.cover);
  }
  const lairs = src.lairsTouching(x0, y0, size, size).filter((l) => touches(l, x0, y0, size));
  stampLairs(lairs, x0, y0, size, structure, feature, cost, cover);
  return { cx, cy, size, x0, y0, height, biome, feature, structure, cost, cover, lairs };
}

/**
 * Put the lairs' structures on the chunk's layers. Its own function: inside generateChunk, the optimised code
 * for the tile loop kept deoptimising here (a wrong map, chunk after chunk), and the rest of each such chunk ran
 * in the interpreter.
 */
function stampLairs(lairs: readonly Lair[], x0: number, y0: number, size: number, structure: Uint8Array, feature: Uint8Array, cost: Float32Array, cover: Float32Array): void {
  const stamp = (tx: number, ty: number, st: number): void => {
    if (st === Structure.none || tx < x0 || ty < y0 || tx >= x0 + size || ty >= y0 + size) return;
    const i = (ty - y0) * size + (tx - x0);
    structure[i] = st;
    feature[i] = Feature.none;
    cost[i] = STRUCTURE_COST[st] as number;
    cover[i] = STRUCTURE_COVER[st] as number;
  };
  for (const lair of lairs) {
    const ax = Math.max(x0, lair.x0), bx = Math.min(x0 + size, lair.x0 + lair.layout.width);
    const ay = Math.max(y0, lair.y0), by = Math.min(y0 + size, lair.y0 + lair.layout.height);
    for (let ty = ay; ty < by; ty++) for (let tx = ax; tx < bx; tx++) stamp(tx, ty, lairStructureAt(lair, tx, ty));
    for (const t of lair.tunnel) stamp(t.tx, t.ty, Structure.floor);
  }
}

function touches(l: Lair, x0: number, y0: number, size: number): boolean {
  const inRect = (ax: number, ay: number, w: number, h: number): boolean => ax < x0 + size && x0 < ax + w && ay < y0 + size && y0 < ay + h;
  return inRect(l.x0, l.y0, l.layout.width, l.layout.height)
    || l.tunnel.some((t) => t.tx >= x0 && t.ty >= y0 && t.tx < x0 + size && t.ty < y0 + size);
}

/** A stable hash of a chunk's tile layers (for golden tests and replays). */
export function chunkHash(c: Chunk): string {
  return stableHash([c.cx, c.cy, c.size, [...c.biome], [...c.feature], [...c.structure], [...c.cost].map((v) => (Number.isFinite(v) ? v : -1)), [...c.height]]);
}
