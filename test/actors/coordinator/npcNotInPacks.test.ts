import { describe, expect, it } from 'vitest';
import { coordinatorSpawn, defaultRegistry, FlatTerrain, flatSite, packPlans, planScenario, Simulation } from '../../../actors/index.ts';
import type { CoordinatorState, World, WorldInput } from '../../../actors/index.ts';
import { ScenarioLibrary } from '../../../server/index.ts';

const terrain = new FlatTerrain(128, 128);

/** Answer every mind request of a step with an error (no minds in these runs). */
function stepWithoutMinds(sim: Simulation): void {
  for (const r of sim.step().requests) sim.reply({ requestId: r.requestId, ok: false, error: 'no mind' });
}

function coordinator(world: World): CoordinatorState {
  for (const a of world.actors.values()) if (a.kind === 'coordinator') return a.state as CoordinatorState;
  throw new Error('no coordinator');
}

/** Every actor the coordinator counts in a pack or gives a part in a plan, with its kind. */
function planned(world: World): { id: number; kind: string }[] {
  const c = coordinator(world);
  const ids = new Set<number>();
  for (const rec of Object.values(c.packs)) for (const m of rec.members) ids.add(m);
  for (const p of packPlans(c)) for (const a of p.plan.assignments) ids.add(a.member);
  return [...ids].sort((a, b) => a - b).map((id) => ({ id, kind: world.actors.get(id)?.kind ?? '?' }));
}

/** A player slow enough for wolves to follow it home. */
const player = (x: number, y: number): WorldInput => ({
  type: 'spawn', spec: { kind: 'player', behaviour: 'player', params: { respawnDelay: 3600 }, body: { x, y, faction: 'players', speed: 2, maxHp: 100 }, tags: { name: 'Ann' } },
});

describe('NPCs are never a fighting pack', () => {
  it('the village\'s NPCs get no pack plan, before dusk or while the wolves attack', () => {
    const village = new ScenarioLibrary().load('village');
    const plan = planScenario(village, flatSite(terrain, { x: 64, y: 64 }));
    const sim = new Simulation({ seed: 'village-dusk', registry: defaultRegistry(), terrain });
    for (const i of plan.inputs) sim.input(i);
    sim.input(player(64, 65));
    sim.input(coordinatorSpawn({ askCloud: false }));
    stepWithoutMinds(sim);
    const npcs = [...sim.world.actors.values()].filter((a) => a.kind === 'npc');
    expect(npcs.map((a) => [a.tags?.name, a.tags?.stance])).toEqual([
      ['Hilda', 'peaceful'], ['Tobin', 'peaceful'], ['Mira', 'peaceful'], ['Old Bram', 'peaceful'], ['Captain Wren', 'guard'],
    ]);
    for (const a of npcs) expect(a.tags).not.toHaveProperty('pack');
    expect(npcs.find((a) => a.tags?.name === 'Hilda')?.tags).toMatchObject({ ref: 's:smith' });

    // Before dusk the player stands among the villagers: nothing to plan.
    while (sim.world.tick < 1205) {
      stepWithoutMinds(sim);
      expect(planned(sim.world)).toEqual([]);
    }
    // Dusk: the wolves came. The player goes to meet them, then walks back to the square with the pack behind.
    const wolves = [...sim.world.actors.values()].filter((a) => a.tags?.pack === 's:dusk-wolves');
    expect(wolves).toHaveLength(4);
    const ann = [...sim.world.players][0] as number;
    sim.input({ type: 'send', to: ann, message: { type: 'command', goto: { x: 64 + 24, y: 64 + 24 } } });
    while (planned(sim.world).length === 0 && sim.world.tick < 1600) stepWithoutMinds(sim);
    sim.input({ type: 'send', to: ann, message: { type: 'command', goto: { x: 64, y: 65 } } });
    let wolfPlans = 0;
    for (let t = 0; t < 600; t++) {
      stepWithoutMinds(sim);
      const inPlans = planned(sim.world);
      expect(inPlans.filter((m) => m.kind !== 'monster')).toEqual([]);
      if (inPlans.length) wolfPlans++;
    }
    // The wolves did fight as a planned pack meanwhile.
    expect(wolfPlans).toBeGreaterThan(100);
    expect(coordinator(sim.world).stats.engagements).toBeGreaterThanOrEqual(1);
  });

  it('an NPC that carries a pack tag anyway (an older save, a hand-made spawn) is not engaged; a monster with it would be', () => {
    const spawn = (kind: string, behaviour: string, params: Record<string, unknown>, x: number): WorldInput => ({
      type: 'spawn', spec: { kind, behaviour, params, body: { x, y: 10, faction: 'villagers', speed: 1.5, maxHp: 50 }, tags: { name: kind, pack: `old:${kind}` } },
    });
    const sim = new Simulation({ seed: 'legacy', registry: defaultRegistry(), terrain });
    sim.input(spawn('npc', 'npc', { persona: { name: 'Hilda', role: 'blacksmith' }, wander: 0 }, 10));
    sim.input(spawn('monster', 'monster', { personality: false, activation: 0 }, 14));
    sim.input(player(12, 12));
    sim.input(coordinatorSpawn({ askCloud: false }));
    for (let t = 0; t < 20; t++) stepWithoutMinds(sim);
    expect(Object.keys(coordinator(sim.world).packs)).toEqual(['old:monster']);
    expect(planned(sim.world)).toEqual([{ id: 2, kind: 'monster' }]);
  });
});
