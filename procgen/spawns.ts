import type { Rng } from '../shared/index.ts';
import { BIOME_NAMES } from './biomes.ts';
import type { BiomeName } from './biomes.ts';
import type { Chunk } from './chunk.ts';
import { Structure } from './lairs.ts';
import { rollMonster } from './monsters.ts';
import type { MonsterBase } from './monsters.ts';
import type { SpeciesTable } from './speciesTable.ts';

/** A group of monsters spawned together around an anchor tile. */
export interface Pack {
  /** `pack:<cx>:<cy>:<n>` for wild packs, `pack:<lair id>` for a lair's dwellers. */
  readonly id: string;
  readonly kind: 'wild' | 'lair';
  readonly species: string;
  /** Biome of the anchor tile. */
  readonly biome: BiomeName;
  /** The lair this pack lives in, for lair packs. */
  readonly lairId?: string;
  /** Tile the pack gathers around. */
  readonly anchor: { readonly tx: number; readonly ty: number };
  readonly members: readonly MonsterBase[];
}

/** Spawn settings (from the world parameters). */
export interface SpawnSettings {
  /** Multiplier on every biome density. */
  readonly densityScale: number;
  /** Max Chebyshev distance in tiles from a member to its anchor. */
  readonly packRadius: number;
  /** World units per tile. */
  readonly tileSize: number;
}

/**
 * Tiles near `anchor` (Chebyshev distance ≤ radius, inside the chunk) reachable from it through tiles that
 * `ok` accepts, 4-connected, in breadth-first order. Used to keep a pack together.
 */
function gatherTiles(c: Chunk, anchor: number, radius: number, ok: (i: number) => boolean): number[] {
  const S = c.size;
  const ax = anchor % S, ay = Math.floor(anchor / S);
  const seen = new Set<number>([anchor]);
  const out = [anchor];
  for (let k = 0; k < out.length; k++) {
    const i = out[k] as number;
    const x = i % S, y = Math.floor(i / S);
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
      const nx = x + dx, ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= S || ny >= S || Math.abs(nx - ax) > radius || Math.abs(ny - ay) > radius) continue;
      const j = ny * S + nx;
      if (seen.has(j) || !ok(j)) continue;
      seen.add(j);
      out.push(j);
    }
  }
  return out;
}

/**
 * The packs of one chunk: wild packs by biome density (packs per 1,000 walkable tiles of that biome,
 * anchored on random walkable non-structure tiles), plus the dwellers of any lair whose den room centre
 * lies in the chunk. Members stand on distinct walkable tiles of this chunk reachable from the anchor, so
 * the result depends only on the chunk (and its lairs), never on its neighbours.
 */
export function spawnPacks(root: Rng, c: Chunk, table: SpeciesTable, s: SpawnSettings): Pack[] {
  const S = c.size;
  const packs: Pack[] = [];
  const occupied = new Set<number>();
  const place = (pack: Omit<Pack, 'members'>, rng: Rng, speciesId: string, anchor: number, radius: number, ok: (i: number) => boolean): void => {
    const species = table.species[speciesId];
    if (!species) return;
    const size = rng.int(species.packSize[0], species.packSize[1]);
    const near = gatherTiles(c, anchor, radius, (i) => ok(i) && !occupied.has(i));
    const tiles = [anchor, ...rng.shuffle(near.slice(1))].slice(0, size);
    const members = tiles.map((i, j) => {
      occupied.add(i);
      return rollMonster(`${pack.id}/${j}`, speciesId, species, rng.fork(`m:${j}`), c.x0 + (i % S), c.y0 + Math.floor(i / S), s.tileSize);
    });
    packs.push({ ...pack, members });
  };

  // Lair dwellers first, so wild packs never take their tiles.
  for (const lair of c.lairs) {
    const den = lair.rooms[lair.denRoom];
    if (!den) continue;
    const tx = den.x + (den.w >> 1), ty = den.y + (den.h >> 1);
    if (tx < c.x0 || ty < c.y0 || tx >= c.x0 + S || ty >= c.y0 + S) continue;
    const rng = root.fork(`pack:${lair.id}`);
    const list = table.lairs[lair.kind];
    const speciesId = rng.weighted(list.map((e) => ({ value: e.species, weight: e.weight })));
    const anchor = (ty - c.y0) * S + (tx - c.x0);
    const floor = (i: number): boolean => c.structure[i] === Structure.floor && Number.isFinite(c.cost[i]);
    if (!floor(anchor)) continue;
    place({ id: `pack:${lair.id}`, kind: 'lair', species: speciesId, biome: lair.biome, lairId: lair.id, anchor: { tx, ty } },
      rng, speciesId, anchor, Math.max(den.w, den.h), floor);
  }

  const wild = (i: number): boolean => c.structure[i] === Structure.none && Number.isFinite(c.cost[i]);
  const byBiome: number[][] = BIOME_NAMES.map(() => []);
  for (let i = 0; i < S * S; i++) if (wild(i)) (byBiome[c.biome[i] as number] as number[]).push(i);
  const rng = root.fork(`spawn:${c.cx}:${c.cy}`);
  let n = 0;
  BIOME_NAMES.forEach((name, b) => {
    const entry = table.biomes[name];
    const tiles = byBiome[b] as number[];
    if (!entry || entry.spawns.length === 0 || tiles.length === 0) return;
    const expected = (entry.density * s.densityScale * tiles.length) / 1000;
    const count = Math.floor(expected) + (rng.chance(expected - Math.floor(expected)) ? 1 : 0);
    for (let k = 0; k < count; k++) {
      const id = n++;
      const packRng = rng.fork(`pack:${id}`);
      const anchor = packRng.pick(tiles);
      if (occupied.has(anchor)) continue;
      const speciesId = packRng.weighted(entry.spawns.map((e) => ({ value: e.species, weight: e.weight })));
      const tx = c.x0 + (anchor % S), ty = c.y0 + Math.floor(anchor / S);
      place({ id: `pack:${c.cx}:${c.cy}:${id}`, kind: 'wild', species: speciesId, biome: name, anchor: { tx, ty } },
        packRng, speciesId, anchor, s.packRadius, wild);
    }
  });
  return packs;
}
