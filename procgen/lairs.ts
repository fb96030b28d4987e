import type { Rng } from '../shared/index.ts';
import { BIOME_NAMES, Biome } from './biomes.ts';
import type { BiomeName } from './biomes.ts';
import { Cell, generateDungeon } from './dungeon.ts';
import type { DungeonLayout, Room } from './dungeon.ts';

/** What a lair is built as: caves dug into mountains and hills, ruins standing in forests. */
export type LairKind = 'cave' | 'ruin';

/** A lair: a dungeon stamped into the terrain of one lair region. Coordinates are world tiles. */
export interface Lair {
  /** `lair:<rx>:<ry>` (region coordinates). */
  readonly id: string;
  readonly kind: LairKind;
  /** Biome at the spot that was chosen. */
  readonly biome: BiomeName;
  /** Top-left tile of the layout. */
  readonly x0: number;
  readonly y0: number;
  readonly layout: DungeonLayout;
  /** Rooms in world tiles. */
  readonly rooms: readonly Room[];
  /** The entrance door, in world tiles. */
  readonly entrance: { readonly tx: number; readonly ty: number };
  /** Tiles dug outward from the entrance until open ground (may be empty). */
  readonly tunnel: readonly { readonly tx: number; readonly ty: number }[];
  /** Index of the room farthest (by centre distance) from the entrance: where the lair's pack lives. */
  readonly denRoom: number;
}

/** What lair planning needs from the base terrain (biomes before any structure). */
export interface LairTerrain {
  /** Biome id of tile (tx, ty). */
  biomeAt(tx: number, ty: number): number;
  /** Whether tile (tx, ty) is walkable before structures (biome and feature). */
  baseWalkable(tx: number, ty: number): boolean;
}

/** Lair settings (from the world parameters). */
export interface LairSettings {
  readonly regionSize: number;
  readonly chance: number;
  readonly attempts: number;
  readonly rooms: readonly [number, number];
}

const MARGIN = 12;
const SIDES = ['north', 'south', 'west', 'east'] as const;
const STEP = { north: [0, -1], south: [0, 1], west: [-1, 0], east: [1, 0] } as const;

/**
 * Decide the lair of region (rx, ry): a pure function of (rng path, settings, terrain, rx, ry). Each region
 * (regionSize² tiles) holds at most one lair, kept `MARGIN` tiles inside its border, so lairs never
 * overlap and any chunk can find the lairs touching it by asking only the regions it overlaps.
 */
export function planLair(rng: Rng, s: LairSettings, terrain: LairTerrain, rx: number, ry: number): Lair | null {
  const r = rng.fork(`lair:${rx}:${ry}`);
  if (!r.chance(s.chance)) return null;
  const rs = s.regionSize;
  const maxSide = rs - 2 * MARGIN;
  for (let attempt = 0; attempt < s.attempts; attempt++) {
    const kindRoll = r.fork(`attempt:${attempt}`);
    const w = Math.min(maxSide, kindRoll.int(18, 34));
    const h = Math.min(maxSide, kindRoll.int(18, 34));
    const x0 = rx * rs + kindRoll.int(MARGIN, rs - MARGIN - w);
    const y0 = ry * rs + kindRoll.int(MARGIN, rs - MARGIN - h);
    const biome = terrain.biomeAt(x0 + (w >> 1), y0 + (h >> 1));
    const kind: LairKind | null =
      biome === Biome.mountains || biome === Biome.hills ? 'cave' : biome === Biome.forest ? 'ruin' : null;
    if (!kind) continue;
    // Entrance faces the side with the nearest open ground (first in N, S, W, E order on ties).
    let side: (typeof SIDES)[number] = 'south';
    let bestDist = Infinity;
    for (const sd of SIDES) {
      const [dx, dy] = STEP[sd];
      const sx = sd === 'west' ? x0 - 1 : sd === 'east' ? x0 + w : x0 + (w >> 1);
      const sy = sd === 'north' ? y0 - 1 : sd === 'south' ? y0 + h : y0 + (h >> 1);
      for (let d = 0; d < MARGIN && d < bestDist; d++) {
        if (terrain.baseWalkable(sx + dx * d, sy + dy * d)) { bestDist = d; side = sd; break; }
      }
    }
    const layout = generateDungeon(r.fork('dungeon'), {
      width: w, height: h, rooms: s.rooms,
      roomSize: kind === 'cave' ? [4, 8] : [3, 6],
      entranceSide: side,
    });
    const entrance = { tx: x0 + layout.entrance.x, ty: y0 + layout.entrance.y };
    const tunnel: { tx: number; ty: number }[] = [];
    const [dx, dy] = STEP[side];
    for (let d = 1; d <= MARGIN; d++) {
      const t = { tx: entrance.tx + dx * d, ty: entrance.ty + dy * d };
      if (terrain.baseWalkable(t.tx, t.ty)) break;
      tunnel.push(t);
    }
    const rooms = layout.rooms.map((rm) => ({ x: rm.x + x0, y: rm.y + y0, w: rm.w, h: rm.h }));
    const er = layout.rooms[layout.entranceRoom] as Room;
    let denRoom = layout.entranceRoom;
    let far = -1;
    layout.rooms.forEach((rm, i) => {
      const d = (rm.x + rm.w / 2 - er.x - er.w / 2) ** 2 + (rm.y + rm.h / 2 - er.y - er.h / 2) ** 2;
      if (d > far) { far = d; denRoom = i; }
    });
    return { id: `lair:${rx}:${ry}`, kind, biome: BIOME_NAMES[biome] as BiomeName, x0, y0, layout, rooms, entrance, tunnel, denRoom };
  }
  return null;
}

/** Structure ids stored per tile: what a lair put there. */
export const Structure = { none: 0, floor: 1, wall: 2, door: 3 } as const;
/** Structure names in id order. */
export const STRUCTURE_NAMES = ['none', 'floor', 'wall', 'door'] as const;

/**
 * The structure a lair puts on tile (tx, ty), or `Structure.none`. Rooms and corridors are floor, doors
 * are doors, the tunnel is floor; caves fill the rest of their rectangle with rock wall, ruins wall only
 * the cells touching a floor.
 */
export function lairStructureAt(lair: Lair, tx: number, ty: number): number {
  const L = lair.layout;
  const x = tx - lair.x0, y = ty - lair.y0;
  if (x >= 0 && y >= 0 && x < L.width && y < L.height) {
    const c = L.cells[y * L.width + x] as number;
    if (c === Cell.door) return Structure.door;
    if (c !== Cell.rock) return Structure.floor;
    if (lair.kind === 'cave') return Structure.wall;
    for (let j = -1; j <= 1; j++) for (let i = -1; i <= 1; i++) {
      const xx = x + i, yy = y + j;
      if (xx >= 0 && yy >= 0 && xx < L.width && yy < L.height && L.cells[yy * L.width + xx] !== Cell.rock) return Structure.wall;
    }
    return Structure.none;
  }
  for (const t of lair.tunnel) if (t.tx === tx && t.ty === ty) return Structure.floor;
  return Structure.none;
}
