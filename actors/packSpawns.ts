import type { MonsterBase, Pack } from '../procgen/index.ts';
import type { WorldInput } from './inputs.ts';

/** The faction of generated monsters: they leave each other alone and turn on players. */
export const WILD = 'wild';

/** One params object per distinct (sight, attack) pair, so monsters with equal stats share their parsed params. */
function monsterParams(cache: Map<string, Record<string, unknown>>, m: MonsterBase): Record<string, unknown> {
  const key = `${m.stats.sight}|${m.stats.attack}`;
  let p = cache.get(key);
  if (!p) {
    p = { perception: m.stats.sight, damage: m.stats.attack };
    cache.set(key, p);
  }
  return p;
}

/**
 * Spawn inputs for the monsters of procedurally generated packs: bodies at their spawn tiles with the rolled
 * stats (hp, damage, speed, sight), all in the {@link WILD} faction, and the display data (species, name, pack) as
 * tags for the projection.
 */
export function packSpawns(packs: readonly Pack[]): WorldInput[] {
  const inputs: WorldInput[] = [];
  const cache = new Map<string, Record<string, unknown>>();
  for (const pack of packs) {
    for (const m of pack.members) {
      inputs.push({
        type: 'spawn',
        spec: {
          kind: 'monster',
          behaviour: 'monster',
          params: monsterParams(cache, m),
          body: { x: m.x, y: m.y, maxHp: m.stats.hp, speed: m.stats.speed, faction: WILD },
          tags: { species: m.species, name: m.name, pack: pack.id, base: m.id, biome: pack.biome, label: m.label },
        },
      });
    }
  }
  return inputs;
}
