import { describe, expect, it } from 'vitest';
import type { CoordinatorState, MonsterState, World } from '../../actors/index.ts';
import { LlmGateway } from '../../llm/index.ts';
import { loadScenarioFile } from '../../server/index.ts';
import { headlessMinds } from '../../tools/scenario/headlessMinds.ts';
import { roomCoordinator, runScenario } from '../../tools/scenario/runScenario.ts';

function coordinator(world: World): CoordinatorState {
  for (const a of world.actors.values()) if (a.kind === 'coordinator') return a.state as CoordinatorState;
  throw new Error('no coordinator');
}

const monsters = (world: World): MonsterState[] => [...world.actors.values()].filter((a) => a.kind === 'monster').map((a) => a.state as MonsterState);

describe('a scenario with llm.tactics: false (packs without a tactician)', () => {
  it('gives the room a coordinator without tactics; packs get rosters but no plans or orders', async () => {
    const ambush = loadScenarioFile('scenarios/wolf-ambush.yaml');
    const plain = { ...ambush, llm: { ...ambush.llm, tactics: false } };
    expect(roomCoordinator(plain)).toMatchObject({ type: 'spawn', spec: { behaviour: 'coordinator', params: { tactics: false } } });
    expect(roomCoordinator(ambush)).toMatchObject({ type: 'spawn', spec: { params: expect.not.objectContaining({ tactics: expect.anything() }) } });

    const run = await runScenario(plain, { ticks: 400, minds: headlessMinds(undefined, new LlmGateway({ providers: {} })) });
    const c = coordinator(run.sim.world);
    expect(c.stats.engagements).toBeGreaterThanOrEqual(1);
    expect(c.stats).toMatchObject({ tacticianPlans: 0, cloudAsked: 0 });
    const wolves = monsters(run.sim.world);
    expect(wolves.filter((m) => m.pack?.pack === 's:wolves').length).toBeGreaterThanOrEqual(2);
    expect(wolves.filter((m) => m.order !== null)).toEqual([]);

    // The same ambush with tactics plans for the pack.
    const planned = await runScenario(ambush, { ticks: 400, minds: headlessMinds(undefined, new LlmGateway({ providers: {} })) });
    expect(coordinator(planned.sim.world).stats.tacticianPlans).toBeGreaterThan(0);
  });
});
