import type { Rng } from '../shared/index.ts';
import { rollName } from './names.ts';
import type { Species } from './speciesTable.ts';

/** Rolled stats of one monster. */
export interface MonsterStats {
  /** Hit points. */
  readonly hp: number;
  /** Damage per hit. */
  readonly attack: number;
  /** Damage reduction per hit. */
  readonly defense: number;
  /** Speed in tiles per second (2 decimals). */
  readonly speed: number;
  /** Sight radius in tiles (1 decimal). */
  readonly sight: number;
}

/** Loot a monster carries. */
export interface LootDrop {
  readonly item: string;
  readonly count: number;
}

/** A monster base: everything procgen decides about a monster before it becomes an actor. */
export interface MonsterBase {
  /** `<pack id>/<index>`. */
  readonly id: string;
  /** Species id (key of the species table). */
  readonly species: string;
  /** Species display name. */
  readonly label: string;
  /** Seeded personal name. */
  readonly name: string;
  readonly stats: MonsterStats;
  readonly loot: readonly LootDrop[];
  /** Tile the monster spawns on. */
  readonly tx: number;
  readonly ty: number;
  /** Spawn position in world units (tile centre). */
  readonly x: number;
  readonly y: number;
}

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Roll one monster of `species` at tile (tx, ty). All draws come from `rng`. */
export function rollMonster(
  id: string, speciesId: string, species: Species, rng: Rng, tx: number, ty: number, tileSize: number,
): MonsterBase {
  const s = species.stats;
  const stats: MonsterStats = {
    hp: rng.int(s.hp[0], s.hp[1]),
    attack: rng.int(s.attack[0], s.attack[1]),
    defense: rng.int(s.defense[0], s.defense[1]),
    speed: round(rng.float(s.speed[0], s.speed[1]), 2),
    sight: round(rng.float(s.sight[0], s.sight[1]), 1),
  };
  const name = rollName(species.names, rng);
  const loot: LootDrop[] = [];
  for (const l of species.loot) if (rng.chance(l.chance)) loot.push({ item: l.item, count: rng.int(l.count[0], l.count[1]) });
  return { id, species: speciesId, label: species.label, name, stats, loot, tx, ty, x: (tx + 0.5) * tileSize, y: (ty + 0.5) * tileSize };
}
