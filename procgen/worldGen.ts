import type { TerrainQuery } from '../shared/index.ts';
import { Rng } from '../shared/index.ts';
import { BIOMES, BIOME_NAMES, classifyBiome } from './biomes.ts';
import type { BiomeName } from './biomes.ts';
import { generateChunk } from './chunk.ts';
import type { Chunk } from './chunk.ts';
import { ChunkCache } from './chunkCache.ts';
import type { CacheStats, Entry } from './chunkCache.ts';
import { createClimateSampler } from './climate.ts';
import type { ClimateSampler } from './climate.ts';
import { DEFAULT_SPECIES } from './defaultSpecies.ts';
import { FEATURE_EFFECTS, FEATURE_NAMES, createFeaturePicker } from './features.ts';
import type { FeatureName, FeaturePicker } from './features.ts';
import { STRUCTURE_NAMES, planLair } from './lairs.ts';
import type { Lair } from './lairs.ts';
import { parseWorldParams } from './params.ts';
import type { WorldParams } from './params.ts';
import { spawnPacks } from './spawns.ts';
import type { Pack } from './spawns.ts';
import { parseSpeciesTable } from './speciesTable.ts';
import type { SpeciesTable } from './speciesTable.ts';

/** Everything known about one tile. */
export interface TileInfo {
  readonly tx: number;
  readonly ty: number;
  readonly biome: BiomeName;
  /** Climate, 0..1. */
  readonly height: number;
  readonly moisture: number;
  readonly temperature: number;
  readonly feature: FeatureName;
  readonly structure: (typeof STRUCTURE_NAMES)[number];
  readonly walkable: boolean;
  /** 1 open ground, higher slower, Infinity unwalkable. */
  readonly moveCost: number;
  /** 0 (none) .. 1 (full). */
  readonly cover: number;
}

/** Options of {@link createWorldGen}. */
export interface WorldGenOptions {
  /** A species table as data (validated on load); the built-in table by default. */
  readonly species?: unknown;
}

/**
 * A procedural world: terrain by lazily generated, cached chunks, lairs, and monster spawns. Implements
 * `TerrainQuery` (tile coordinates; fractional coordinates are floored), so the simulation and path finders
 * can use it directly. Everything is a pure function of (seed, params, coordinates); the cache only saves time.
 */
export interface WorldGen extends TerrainQuery {
  readonly params: WorldParams;
  readonly species: SpeciesTable;
  /** Chunk side in tiles. */
  readonly chunkSize: number;
  /** Chunk (cx, cy), generated and cached on first use. */
  chunk(cx: number, cy: number): Chunk;
  /** The chunk holding tile (tx, ty). */
  chunkAtTile(tx: number, ty: number): Chunk;
  /**
   * Costs of the w × h tiles from (x0, y0), written into `out` with row r at `offset + r * stride`: one
   * chunk lookup per chunk row instead of one per tile, for path searches.
   */
  moveCostRect(x0: number, y0: number, w: number, h: number, out: Float32Array, offset: number, stride: number): void;
  /** Everything about tile (tx, ty). */
  tile(tx: number, ty: number): TileInfo;
  /** Biome of tile (tx, ty), computed without generating a chunk. */
  biomeAt(tx: number, ty: number): BiomeName;
  /**
   * Packs whose anchor lies in the rectangle (x0, y0, w, h) in tiles, ordered by chunk (row-major) then
   * pack order: generates the chunks it covers. Members may stand just outside the rectangle.
   */
  spawnsInRegion(x0: number, y0: number, w: number, h: number): Pack[];
  /** Lairs whose dungeon rectangle intersects (x0, y0, w, h) in tiles; no chunk is generated. */
  lairsInRegion(x0: number, y0: number, w: number, h: number): Lair[];
  /** Cache counters. */
  cacheStats(): CacheStats;
  /**
   * Drop cached chunks farther than `radius` tiles (Chebyshev, from the chunk's rectangle) from every point
   * of `keep` (tile coordinates, e.g. players and active actors). Returns how many were dropped.
   */
  evictUnused(keep: readonly { readonly x: number; readonly y: number }[], radius: number): number;
}

/**
 * Create a world from parameters (validated: bad input throws an error naming the field) and an optional
 * species table.
 */
export function createWorldGen(params: unknown, options: WorldGenOptions = {}): WorldGen {
  return new ProceduralWorld(parseWorldParams(params), parseSpeciesTable(options.species ?? DEFAULT_SPECIES));
}

const MAX_LAIR_CACHE = 4096;

class ProceduralWorld implements WorldGen {
  readonly tileSize: number;
  readonly chunkSize: number;
  private readonly root: Rng;
  private readonly cache: ChunkCache;
  private readonly climate: ClimateSampler;
  private readonly features: FeaturePicker;
  private readonly lairCache = new Map<string, Lair | null>();
  private last: Entry | undefined;

  constructor(readonly params: WorldParams, readonly species: SpeciesTable) {
    this.tileSize = params.tileSize;
    this.chunkSize = params.chunkSize;
    this.root = Rng.create(String(params.seed));
    this.climate = createClimateSampler(this.root.fork('climate'), params);
    this.features = createFeaturePicker(this.root.fork('features').int(0, 0x7fffffff), params.features);
    const src = {
      size: params.chunkSize,
      climate: this.climate,
      rules: params.biomes,
      features: this.features,
      lairsTouching: (x0: number, y0: number, w: number, h: number) => this.lairsNear(x0, y0, w, h),
    };
    this.cache = new ChunkCache(params.cache.maxChunks, (cx, cy) => generateChunk(src, cx, cy));
  }

  private biomeId(tx: number, ty: number): number {
    const s = this.climate.sample(tx, ty);
    return classifyBiome(s.height, s.moisture, s.temperature, this.params.biomes);
  }

  biomeAt(tx: number, ty: number): BiomeName {
    return BIOME_NAMES[this.biomeId(Math.floor(tx), Math.floor(ty))] as BiomeName;
  }

  private lairOf(rx: number, ry: number): Lair | null {
    const key = `${rx}:${ry}`;
    let l = this.lairCache.get(key);
    if (l === undefined) {
      const terrain = {
        biomeAt: (tx: number, ty: number) => this.biomeId(tx, ty),
        baseWalkable: (tx: number, ty: number) => {
          const b = this.biomeId(tx, ty);
          return (BIOMES[b] as (typeof BIOMES)[number]).walkable && !(FEATURE_EFFECTS[this.features(b, tx, ty)] as (typeof FEATURE_EFFECTS)[number]).blocks;
        },
      };
      l = planLair(this.root.fork('lairs'), this.params.lairs, terrain, rx, ry);
      if (this.lairCache.size >= MAX_LAIR_CACHE) this.lairCache.clear();
      this.lairCache.set(key, l);
    }
    return l;
  }

  /** Lairs of every region overlapping the rectangle (not filtered further). */
  private lairsNear(x0: number, y0: number, w: number, h: number): Lair[] {
    const rs = this.params.lairs.regionSize;
    const out: Lair[] = [];
    for (let ry = Math.floor(y0 / rs); ry <= Math.floor((y0 + h - 1) / rs); ry++) {
      for (let rx = Math.floor(x0 / rs); rx <= Math.floor((x0 + w - 1) / rs); rx++) {
        const l = this.lairOf(rx, ry);
        if (l) out.push(l);
      }
    }
    return out;
  }

  lairsInRegion(x0: number, y0: number, w: number, h: number): Lair[] {
    return this.lairsNear(x0, y0, w, h).filter(
      (l) => l.x0 < x0 + w && x0 < l.x0 + l.layout.width && l.y0 < y0 + h && y0 < l.y0 + l.layout.height,
    );
  }

  chunk(cx: number, cy: number): Chunk {
    return this.cache.entry(cx, cy).chunk;
  }

  chunkAtTile(tx: number, ty: number): Chunk {
    return this.entryAt(Math.floor(tx), Math.floor(ty)).chunk;
  }

  private entryAt(tx: number, ty: number): Entry {
    const S = this.chunkSize;
    const l = this.last;
    if (l && tx >= l.chunk.x0 && ty >= l.chunk.y0 && tx < l.chunk.x0 + S && ty < l.chunk.y0 + S) {
      this.cache.touch(l);
      return l;
    }
    const e = this.cache.entry(Math.floor(tx / S), Math.floor(ty / S));
    this.last = e;
    return e;
  }

  moveCost(tx: number, ty: number): number {
    if (!Number.isFinite(tx) || !Number.isFinite(ty)) return Infinity;
    const x = Math.floor(tx), y = Math.floor(ty);
    const c = this.entryAt(x, y).chunk;
    return c.cost[(y - c.y0) * c.size + (x - c.x0)] as number;
  }

  moveCostRect(x0: number, y0: number, w: number, h: number, out: Float32Array, offset: number, stride: number): void {
    const S = this.chunkSize;
    for (let y = y0; y < y0 + h;) {
      const rows = Math.min(y0 + h, (Math.floor(y / S) + 1) * S) - y;
      for (let x = x0; x < x0 + w;) {
        const cols = Math.min(x0 + w, (Math.floor(x / S) + 1) * S) - x;
        const c = this.entryAt(x, y).chunk;
        for (let r = 0; r < rows; r++) {
          const src = (y + r - c.y0) * S + (x - c.x0), dst = offset + (y + r - y0) * stride + (x - x0);
          for (let k = 0; k < cols; k++) out[dst + k] = c.cost[src + k] as number;
        }
        x += cols;
      }
      y += rows;
    }
  }

  isWalkable(tx: number, ty: number): boolean {
    return this.moveCost(tx, ty) < Infinity;
  }

  cover(tx: number, ty: number): number {
    if (!Number.isFinite(tx) || !Number.isFinite(ty)) return 0;
    const x = Math.floor(tx), y = Math.floor(ty);
    const c = this.entryAt(x, y).chunk;
    return c.cover[(y - c.y0) * c.size + (x - c.x0)] as number;
  }

  tile(tx: number, ty: number): TileInfo {
    const x = Math.floor(tx), y = Math.floor(ty);
    const c = this.entryAt(x, y).chunk;
    const i = (y - c.y0) * c.size + (x - c.x0);
    const cost = c.cost[i] as number;
    const climate = this.climate.sample(x, y);
    return {
      tx: x, ty: y,
      biome: BIOME_NAMES[c.biome[i] as number] as BiomeName,
      height: c.height[i] as number,
      moisture: climate.moisture,
      temperature: climate.temperature,
      feature: FEATURE_NAMES[c.feature[i] as number] as FeatureName,
      structure: STRUCTURE_NAMES[c.structure[i] as number] as (typeof STRUCTURE_NAMES)[number],
      walkable: cost < Infinity,
      moveCost: cost,
      cover: c.cover[i] as number,
    };
  }

  spawnsInRegion(x0: number, y0: number, w: number, h: number): Pack[] {
    const S = this.chunkSize;
    const out: Pack[] = [];
    const settings = { ...this.params.spawns, tileSize: this.tileSize };
    const spawnRng = this.root.fork('spawns');
    for (let cy = Math.floor(y0 / S); cy <= Math.floor((y0 + h - 1) / S); cy++) {
      for (let cx = Math.floor(x0 / S); cx <= Math.floor((x0 + w - 1) / S); cx++) {
        const e = this.cache.entry(cx, cy);
        e.packs ??= spawnPacks(spawnRng, e.chunk, this.species, settings);
        for (const p of e.packs) {
          if (p.anchor.tx >= x0 && p.anchor.ty >= y0 && p.anchor.tx < x0 + w && p.anchor.ty < y0 + h) out.push(p);
        }
      }
    }
    return out;
  }

  cacheStats(): CacheStats {
    return this.cache.stats();
  }

  evictUnused(keep: readonly { readonly x: number; readonly y: number }[], radius: number): number {
    const S = this.chunkSize;
    const n = this.cache.evictWhere((c) => !keep.some((p) => {
      const dx = Math.max(c.x0 - p.x, 0, p.x - (c.x0 + S - 1));
      const dy = Math.max(c.y0 - p.y, 0, p.y - (c.y0 + S - 1));
      return Math.max(dx, dy) <= radius;
    }));
    if (n > 0) this.last = undefined;
    return n;
  }
}
