import { describe, expect, it } from 'vitest';
import { BehaviourRegistry, createWorld, FlatTerrain, monsterBehaviour } from '../../actors/index.ts';
import type { World } from '../../actors/index.ts';
import { idList, spawnMessage } from '../../server/admin/spawnSummary.ts';

function worldWith(actors: { id: number; kind: string; tags: Record<string, string> }[]): World {
  const world = createWorld({ seed: 's', registry: new BehaviourRegistry().register(monsterBehaviour), terrain: new FlatTerrain(8, 8) });
  for (const a of actors) world.actors.set(a.id, { id: a.id, kind: a.kind, tags: a.tags } as never);
  return world;
}

describe('what a spawn made, in words', () => {
  it('writes id runs as ranges', () => {
    expect(idList([3, 1, 2, 7, 9, 10])).toBe('#1–#3, #7, #9, #10');
    expect(idList([5])).toBe('#5');
    expect(idList([])).toBe('');
  });

  it('counts monsters by species and names NPCs with their role', () => {
    const world = worldWith([
      { id: 412, kind: 'monster', tags: { species: 'wolf' } }, { id: 413, kind: 'monster', tags: { species: 'wolf' } }, { id: 414, kind: 'monster', tags: { species: 'wolf' } },
      { id: 415, kind: 'npc', tags: { name: 'Lute', label: 'bard' } }, { id: 416, kind: 'monster', tags: { species: 'troll' } },
    ]);
    expect(spawnMessage(world, [412, 413, 414, 415, 416], { x: 10.4, y: -3.6 })).toBe('Spawned 3 wolves (#412–#414), Lute the bard (#415) and 1 troll (#416) near (10, -4)');
    expect(spawnMessage(world, [], { x: 0, y: 0 })).toMatch(/^Nothing was spawned near \(0, 0\)/);
  });
});
