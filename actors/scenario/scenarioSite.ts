import type { WorldGen } from '../../procgen/index.ts';
import type { TerrainQuery } from '../../shared/index.ts';
import type { Point, Scenario } from './scenarioSchema.ts';

/** A rectangle in absolute world units. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Where in a world a scenario is placed: its origin, the rooms of its lair (if any), and the ground. */
export interface ScenarioSite {
  /** Absolute world position of the scenario's (0, 0), in world units. */
  readonly origin: Point;
  /** Rooms of the scenario's lair in world units (empty without `world.lair`). */
  readonly rooms: readonly Rect[];
  readonly terrain: TerrainQuery;
}

/** Tiles between biome probes when looking for the biome of a scenario's bias. */
const BIOME_PROBE = 4;

/**
 * Place a scenario in a generated world. With `at` (an admin spawning into a live room) the origin is that
 * point; otherwise the nearest lair's entrance (with `world.lair`), else the nearest tile of `world.biome`
 * (biome bias), searched outward from (0, 0) within the scenario's size, else (0, 0). Pure: the same world and
 * scenario give the same site.
 */
export function resolveSite(scenario: Scenario, gen: WorldGen, at?: Point): ScenarioSite {
  const half = Math.floor(scenario.world.size / 2);
  const ts = gen.tileSize;
  let origin: Point = at ?? { x: 0, y: 0 };
  let rooms: Rect[] = [];
  if (scenario.world.lair) {
    const cx = Math.floor(origin.x / ts);
    const cy = Math.floor(origin.y / ts);
    const lairs = gen.lairsInRegion(cx - half, cy - half, half * 2, half * 2);
    let best = lairs[0];
    let bestD = Infinity;
    for (const l of lairs) {
      const d = (l.entrance.tx - cx) ** 2 + (l.entrance.ty - cy) ** 2;
      if (d < bestD || (d === bestD && best && l.id < best.id)) {
        best = l;
        bestD = d;
      }
    }
    if (best) {
      if (!at) origin = { x: (best.entrance.tx + 0.5) * ts, y: (best.entrance.ty + 0.5) * ts };
      rooms = best.rooms.map((r) => ({ x: r.x * ts, y: r.y * ts, w: r.w * ts, h: r.h * ts }));
    }
  } else if (scenario.world.biome && !at) {
    const found = nearestBiome(gen, scenario.world.biome, half);
    if (found) origin = { x: (found[0] + 0.5) * ts, y: (found[1] + 0.5) * ts };
  }
  return { origin, rooms, terrain: gen };
}

/** The nearest probed walkable tile of `biome` within `radius` tiles of (0, 0), ring by ring; null if none. */
function nearestBiome(gen: WorldGen, biome: string, radius: number): [number, number] | null {
  for (let ring = 0; ring * BIOME_PROBE <= radius; ring++) {
    for (let dy = -ring; dy <= ring; dy++) {
      for (let dx = -ring; dx <= ring; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        const tx = dx * BIOME_PROBE;
        const ty = dy * BIOME_PROBE;
        if (gen.biomeAt(tx, ty) === biome && gen.isWalkable(tx, ty)) return [tx, ty];
      }
    }
  }
  return null;
}

/** A flat site at `origin` (tests, flat worlds). */
export function flatSite(terrain: TerrainQuery, origin: Point = { x: 0, y: 0 }, rooms: readonly Rect[] = []): ScenarioSite {
  return { origin, rooms, terrain };
}
