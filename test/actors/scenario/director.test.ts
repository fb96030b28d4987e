import { describe, expect, it } from 'vitest';
import { checkOutcome, defaultRegistry, FlatTerrain, flatSite, parseScenario, planScenario, Simulation } from '../../../actors/index.ts';
import type { MonsterState, NpcState, ReplyInput, ScenarioInput, StepReport } from '../../../actors/index.ts';

const terrain = new FlatTerrain(128, 128);
const site = flatSite(terrain, { x: 64, y: 64 });

/** A flat-world simulation of `scenario`; mind requests are answered by `answer` (default: error replies). */
function run(input: ScenarioInput, ticks: number, answer: (r: StepReport['requests'][number]) => ReplyInput | null = () => null) {
  const scenario = parseScenario(input);
  const plan = planScenario(scenario, site);
  const sim = new Simulation({ seed: 'director', registry: defaultRegistry(), terrain });
  for (const i of plan.inputs) sim.input(i);
  const events: { tick: number; text: string; actor: number }[] = [];
  const spawnedAt: number[] = [];
  let outcome = null;
  for (let t = 0; t < ticks; t++) {
    const rep = sim.step();
    for (const e of rep.events) events.push({ tick: sim.world.tick, text: e.event.text, actor: e.actor });
    if (rep.spawned.length) spawnedAt.push(sim.world.tick);
    for (const r of rep.requests) {
      const a = answer(r);
      sim.reply(a ?? { requestId: r.requestId, ok: false, error: 'no mind' });
    }
    outcome ??= checkOutcome(sim.world, plan.win, plan.lose);
  }
  return { sim, plan, events, spawnedAt, outcome };
}

const byTag = (sim: Simulation, key: string, value: string) => [...sim.world.actors.values()].filter((a) => a.tags?.[key] === value);

describe('scenario plan and director', () => {
  it('places pack members within their spread, with rolled stats, trait overrides and tuning in their params', () => {
    const { sim } = run({ name: 't', spawns: [{ pack: { id: 'w', species: 'wolf', size: 5, at: { x: 10, y: 0 }, spread: 2, traits: { courage: 1 }, tuning: { perception: 5, hp: 77 } } }] }, 1);
    const wolves = byTag(sim, 'pack', 's:w');
    expect(wolves).toHaveLength(5);
    for (const w of wolves) {
      expect(Math.hypot(w.body!.x - 74, w.body!.y - 64)).toBeLessThanOrEqual(2.0001);
      expect(w.body!.maxHp).toBe(77);
      expect(w.params).toMatchObject({ perception: 5, respawnDelay: 3600, traits: { courage: 1 } });
      expect(w.tags).toMatchObject({ species: 'wolf', label: 'Wolf' });
    }
  });

  it('applies trait overrides over the personality the mind sends', () => {
    const personality = { traits: { aggression: 0.1, courage: 0.2, sociability: 0.3, greed: 0.4, curiosity: 0.5, cunning: 0.6 }, temperament: 'sly', voice: 'growling' };
    const { sim } = run({ name: 't', spawns: [{ monster: { id: 'm', species: 'wolf', at: { x: 0, y: 0 }, traits: { courage: 0.95, cunning: 0 } } }] }, 3,
      (r) => (r.port === 'personality' ? { requestId: r.requestId, ok: true, value: personality } : null));
    const m = byTag(sim, 'pack', 's:m')[0]!;
    expect((m.state as MonsterState).personality?.traits).toEqual({ ...personality.traits, courage: 0.95, cunning: 0 });
  });

  it('fires a tick trigger on its tick: spawns and a narrator line', () => {
    const { sim, events } = run({
      name: 't',
      triggers: [{ id: 'late', when: { atTick: 10 }, do: [{ say: { text: 'They come.' } }, { spawn: { pack: { id: 'late', species: 'goblin', size: 3, at: { x: 0, y: 5 } } } }] }],
    }, 15);
    expect(events.filter((e) => e.text === 'They come.').map((e) => e.tick)).toEqual([11]);
    const late = byTag(sim, 'pack', 's:late');
    expect(late).toHaveLength(3);
    const director = [...sim.world.actors.values()].find((a) => a.kind === 'director')!;
    expect(late.every((g) => g.parent === director.id)).toBe(true);
  });

  it('fires when a player enters a region, once, and turns the pack on the player', () => {
    const { sim, events } = run({
      name: 't',
      spawns: [{ pack: { id: 'w', species: 'wolf', size: 3, at: { x: 12, y: 0 }, tuning: { perception: 2 } } }],
      players: [{ name: 'p', at: { x: 0, y: 0 }, route: [{ x: 6, y: 0 }], aggro: 0 }],
      triggers: [{ when: { playerEnters: { x: 4, y: -2, w: 4, h: 4 } }, do: [{ say: { text: 'Ambush!' } }, { alert: { pack: 'w' } }] }],
    }, 40);
    expect(events.filter((e) => e.text === 'Ambush!')).toHaveLength(1);
    const player = [...sim.world.players][0]!;
    const targets = byTag(sim, 'pack', 's:w').map((w) => (w.state as MonsterState).target);
    expect(targets.filter((t) => t === player).length).toBeGreaterThan(0);
  });

  it('fires when a pack falls below N members, and the run ends when the pack is defeated', () => {
    const r = run({
      name: 't',
      spawns: [{ pack: { id: 'w', species: 'goblin', size: 3, at: { x: 3, y: 0 }, spread: 1, tuning: { damage: 0, hp: 20 } } }],
      players: [{ name: 'hero', at: { x: 0, y: 0 }, damage: 25, aggro: 10 }],
      triggers: [{ when: { packBelow: { pack: 'w', members: 3 } }, do: [{ say: { text: 'One down!' } }] }],
      outcome: { win: [{ packDefeated: 'w' }], lose: [{ playersDead: true }] },
    }, 400);
    expect(r.events.filter((e) => e.text === 'One down!')).toHaveLength(1);
    expect(r.outcome).toMatchObject({ result: 'win', reason: 'win[0]: packDefeated s:w' });
  });

  it('gives NPCs their persona in chat requests and remembers who talked to them', () => {
    const scenario: ScenarioInput = {
      name: 't',
      npcs: [{ id: 'smith', name: 'Hilda', role: 'blacksmith', knows: ['the mine is haunted'], mood: 'gruff', at: { x: 0, y: 0 }, wander: 0 }],
    };
    const plan = planScenario(parseScenario(scenario), site);
    const sim = new Simulation({ seed: 'npc', registry: defaultRegistry(), terrain });
    for (const i of plan.inputs) sim.input(i);
    sim.input({ type: 'spawn', spec: { kind: 'player', behaviour: 'player', body: { x: 62, y: 64, faction: 'players' } } });
    sim.step();
    const npc = byTag(sim, 'name', 'Hilda')[0]!;
    expect(npc.kind).toBe('npc');
    sim.input({ type: 'send', to: npc.id, message: { type: 'signal', topic: 'talk', from: 2, data: { text: 'what news?', name: 'Eve' } } });
    const asked = sim.step().requests;
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ port: 'chat', payload: { persona: { name: 'Hilda', role: 'blacksmith', knows: ['the mine is haunted'], mood: 'gruff' }, playerName: 'Eve' } });
    sim.reply({ requestId: asked[0]!.requestId, ok: true, value: { intent: 'askDirections', confidence: 0.9, reply: 'The mine? Stay away.' } });
    const rep = sim.step();
    expect(rep.events.map((e) => e.event.text)).toEqual(['The mine? Stay away.']);
    expect((npc.state as NpcState).memory['2']).toMatchObject({
      name: 'Eve', exchanges: 1, intents: { askDirections: 1 },
      lines: [{ who: 'player', text: 'what news?', intent: 'askDirections' }, { who: 'self', text: 'The mine? Stay away.' }],
    });
  });

  it('is deterministic: the same scenario and seed give the same state hash', () => {
    const input: ScenarioInput = {
      name: 't',
      spawns: [{ pack: { id: 'w', species: 'wolf', size: 6, region: { x: -20, y: -20, w: 40, h: 40 }, count: 3 } }],
      players: [{ name: 'p', at: { x: 0, y: 0 }, route: [{ x: 20, y: 20 }] }],
      triggers: [{ when: { atTick: 30 }, do: [{ spawn: { pack: { species: 'boar', size: 2, at: { x: 5, y: 5 } } } }] }],
    };
    const a = run(input, 200);
    const b = run(input, 200);
    expect(a.sim.hash()).toBe(b.sim.hash());
    expect(byTag(a.sim, 'scenario', 's').length).toBeGreaterThan(18);
  });
});
