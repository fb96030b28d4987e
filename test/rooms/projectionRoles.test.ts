import { describe, expect, it } from 'vitest';
import { defaultRegistry, FlatTerrain, flatSite, parseScenario, planScenario, Simulation } from '../../actors/index.ts';
import { MetaState, Projection, WorldState } from '../../rooms/index.ts';

describe('NPC roles in the room state', () => {
  it('gives each NPC entity its role and stance (from its params, tagged or not); other entities have none', () => {
    const terrain = new FlatTerrain(64, 64);
    const plan = planScenario(parseScenario({
      name: 't',
      npcs: [{ name: 'Hilda', role: 'blacksmith', at: { x: 0, y: 0 } }, { name: 'Wren', role: 'village guard', at: { x: 2, y: 0 } }],
      spawns: [{ monster: { id: 'w', species: 'wolf', at: { x: 10, y: 10 } } }],
    }), flatSite(terrain, { x: 32, y: 32 }));
    const sim = new Simulation({ seed: 'roles', registry: defaultRegistry(), terrain });
    for (const i of plan.inputs) sim.input(i);
    // An NPC spawned by hand, without a stance: its role decides.
    sim.input({ type: 'spawn', spec: { kind: 'npc', behaviour: 'npc', params: { persona: { name: 'Ross', role: 'night watchman' } }, body: { x: 20, y: 20, faction: 'villagers' }, tags: { name: 'Ross' } } });
    sim.input({ type: 'spawn', spec: { kind: 'player', behaviour: 'player', body: { x: 30, y: 30, faction: 'players' }, tags: { name: 'Ann' } } });
    const state = new WorldState({ meta: new MetaState({}) });
    const projection = new Projection(sim.world, state);
    projection.apply(sim.step());
    const byName = new Map([...state.entities.values()].map((e) => [e.name || e.kind, { role: e.role, stance: e.stance }]));
    expect(Object.fromEntries(byName)).toEqual({
      Hilda: { role: 'blacksmith', stance: 'peaceful' },
      Wren: { role: 'village guard', stance: 'guard' },
      Ross: { role: 'night watchman', stance: 'guard' },
      [String([...sim.world.actors.values()].find((a) => a.kind === 'monster')?.tags?.name)]: { role: '', stance: '' },
      Ann: { role: '', stance: '' },
    });
  });
});
