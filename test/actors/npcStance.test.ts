import { describe, expect, it } from 'vitest';
import { captureWorld, checkOutcome, defaultRegistry, FlatTerrain, flatSite, npcRoleOf, parseScenario, planScenario, Simulation, stanceOfRole } from '../../actors/index.ts';
import type { Actor, NpcState, ScenarioInput, StepReport, WorldInput } from '../../actors/index.ts';

const terrain = new FlatTerrain(128, 128);
/** Scenario coordinates are relative to this origin. */
const O = 64;
const site = flatSite(terrain, { x: O, y: O });

const villagers: ScenarioInput['npcs'] = [
  { id: 'smith', name: 'Hilda', role: 'blacksmith', at: { x: 0, y: 0 }, wander: 0 },
  { id: 'captain', name: 'Captain Wren', role: 'village guard', at: { x: 8, y: 0 }, wander: 0, hp: 120 },
  // Beyond the smith's call (16 units): it never hears it.
  { id: 'gate', name: 'Gatekeeper Ross', role: 'sentry', at: { x: -30, y: 0 }, wander: 0 },
];

interface Run {
  readonly sim: Simulation;
  readonly attacks: StepReport['attacks'][number][];
  readonly barks: { actor: number; text: string; tick: number }[];
  step(n?: number, each?: () => void): void;
  npc(name: string): Actor;
  player(): Actor;
}

/** A simulation of `npcs` on a flat field, a player spawned at (x, y) (scenario coordinates); mind requests fail. */
function village(npcs: ScenarioInput['npcs'], x: number, y: number, seed = 'stance', extra: WorldInput[] = []): Run {
  const plan = planScenario(parseScenario({ name: 'stance', npcs }), site);
  const sim = new Simulation({ seed, registry: defaultRegistry(), terrain });
  for (const i of plan.inputs) sim.input(i);
  sim.input({ type: 'spawn', spec: { kind: 'player', behaviour: 'player', params: { respawnDelay: 3600 }, body: { x: O + x, y: O + y, faction: 'players', speed: 5, maxHp: 100 }, tags: { name: 'Ann' } } });
  for (const e of extra) sim.input(e);
  const attacks: Run['attacks'] = [];
  const barks: Run['barks'] = [];
  const run: Run = {
    sim, attacks, barks,
    step(n = 1, each) {
      for (let k = 0; k < n; k++) {
        const r = sim.step();
        attacks.push(...r.attacks);
        for (const e of r.events) barks.push({ actor: e.actor, text: e.event.text, tick: sim.world.tick });
        for (const q of r.requests) sim.reply({ requestId: q.requestId, ok: false, error: 'no mind' });
        each?.();
      }
    },
    npc: (name) => [...sim.world.actors.values()].find((a) => a.tags?.name === name) as Actor,
    player: () => [...sim.world.actors.values()].find((a) => a.kind === 'player') as Actor,
  };
  run.step();
  return run;
}

const dist = (a: Actor, b: Actor): number => Math.hypot(a.body!.x - b.body!.x, a.body!.y - b.body!.y);
const fromHome = (a: Actor): number => Math.hypot(a.body!.x - a.body!.homeX, a.body!.y - a.body!.homeY);
const alarm = (a: Actor) => (a.state as NpcState).alarm ?? null;

describe('NPC stances', () => {
  it('infers a stance from the role unless the scenario sets one, and puts it in the NPC\'s params and tags', () => {
    expect(['village guard', 'Night Watchman', 'soldier', 'sentry', 'Knight of the Vale', 'guardsman', 'the watch'].map(stanceOfRole)).toEqual(Array(7).fill('guard'));
    expect(['blacksmith', 'innkeeper', 'herbalist', 'hermit', 'guardian of lore', 'watchmaker', 'knightly tales teller'].map(stanceOfRole)).toEqual(Array(7).fill('peaceful'));
    const plan = planScenario(parseScenario({
      name: 't',
      npcs: [
        { name: 'A', role: 'blacksmith', at: { x: 0, y: 0 } },
        { name: 'B', role: 'village guard', at: { x: 1, y: 0 } },
        { name: 'C', role: 'retired soldier', stance: 'peaceful', at: { x: 2, y: 0 } },
        { name: 'D', role: 'innkeeper', stance: 'guard', at: { x: 3, y: 0 } },
      ],
    }), site);
    const specs = plan.inputs.flatMap((i) => (i.type === 'spawn' ? [i.spec] : []));
    expect(specs.map((s) => [s.tags?.name, s.tags?.stance, (s.params as { stance?: string }).stance, npcRoleOf(s.params)?.stance])).toEqual([
      ['A', 'peaceful', 'peaceful', 'peaceful'],
      ['B', 'guard', 'guard', 'guard'],
      ['C', 'peaceful', 'peaceful', 'peaceful'],
      ['D', 'guard', 'guard', 'guard'],
    ]);
    // Params without a stance (an NPC spawned by hand) get the one the role suggests.
    expect(npcRoleOf({ persona: { name: 'E', role: 'castle sentry' } })).toEqual({ role: 'castle sentry', stance: 'guard' });
    expect(npcRoleOf({ perception: 8 })).toBeNull();
  });

  it('a peaceful NPC hit by a player runs from it and calls the guards; the guard in reach comes and hits the attacker', () => {
    const r = village(villagers, 0, 1);
    const smith = r.npc('Hilda'), wren = r.npc('Captain Wren'), ross = r.npc('Gatekeeper Ross'), ann = r.player();
    const start = dist(smith, ann);
    r.sim.input({ type: 'send', to: ann.id, message: { type: 'command', attack: smith.id } });
    r.step(3); // the command, the hit, the call
    expect(smith.body!.hp).toBe(50 - 15);
    expect(r.barks.find((b) => b.actor === smith.id)?.text).toBe('Help! Guards!');
    expect(alarm(smith)).toMatchObject({ mode: 'flee', from: ann.id });
    expect(alarm(wren)).toMatchObject({ mode: 'defend', target: ann.id });
    expect(alarm(ross)).toBeNull();

    // The smith runs: farther from the player every second of its flight.
    let last = dist(smith, ann);
    for (let s = 0; s < 3; s++) {
      r.step(20);
      expect(dist(smith, ann)).toBeGreaterThan(last + 1);
      last = dist(smith, ann);
    }
    expect(last).toBeGreaterThan(start + 4);
    // The captain came and hit the player (who stands still); the far sentry never left its post.
    r.step(60);
    const blows = r.attacks.filter((a) => a.attacker === wren.id);
    expect(blows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(blows.map((b) => b.target))).toEqual(new Set([ann.id]));
    expect(ann.body!.hp).toBeLessThanOrEqual(100 - 2 * 12);
    expect(fromHome(ross)).toBe(0);

    // After its flight the smith walks home.
    r.step(200);
    expect(alarm(smith)).toBeNull();
    expect(fromHome(smith)).toBeLessThan(0.5);

    // The player runs off beyond the captain's leash: the captain gives up and walks home.
    r.sim.input({ type: 'send', to: ann.id, message: { type: 'command', goto: { x: O + 8, y: O + 40 } } });
    r.step(300);
    expect(r.barks.some((b) => b.actor === wren.id && ['And stay away!', 'Good riddance.'].includes(b.text))).toBe(true);
    expect(alarm(wren)).toBeNull();
    expect(fromHome(wren)).toBeLessThan(0.5);
    const hits = r.attacks.filter((a) => a.attacker === wren.id).length;
    r.step(100);
    expect(r.attacks.filter((a) => a.attacker === wren.id)).toHaveLength(hits);
  });

  it('a guard leaves alone a player who did nothing, however close', () => {
    const r = village(villagers, 8, 1);
    const wren = r.npc('Captain Wren'), ann = r.player();
    // Stand by the captain, then walk circles around it.
    r.step(100);
    for (const [dx, dy] of [[2, 0], [0, 2], [-2, 0], [0, -2], [0.5, 0.5]] as const) {
      r.sim.input({ type: 'send', to: ann.id, message: { type: 'command', goto: { x: wren.body!.homeX + dx, y: wren.body!.homeY + dy } } });
      r.step(40);
    }
    expect(r.attacks).toEqual([]);
    expect(ann.body!.hp).toBe(100);
    expect(alarm(wren)).toBeNull();
    expect(r.barks.filter((b) => b.actor === wren.id)).toEqual([]);
  });

  it('a guard hit by a player fights back; one answering a call goes for the attacker, not the innocent player beside it', () => {
    // Hit the captain itself.
    const r = village(villagers, 8, 1);
    const wren = r.npc('Captain Wren'), ann = r.player();
    r.sim.input({ type: 'send', to: ann.id, message: { type: 'command', attack: wren.id } });
    r.step(60);
    expect(r.attacks.filter((a) => a.attacker === wren.id && a.target === ann.id).length).toBeGreaterThanOrEqual(2);

    // A wolf bites the smith while Ann stands next to the captain.
    const wolf: WorldInput = {
      type: 'spawn',
      spec: { kind: 'monster', behaviour: 'monster', params: { personality: false, activation: 0, perception: 4, respawnDelay: 3600, damage: 5 }, body: { x: O - 1, y: O, maxHp: 200, speed: 1, faction: 'wild' }, tags: { species: 'wolf', name: 'Fang' } },
    };
    const w = village(villagers, 9, 0, 'stance-wolf', [wolf]);
    const smith = w.npc('Hilda'), captain = w.npc('Captain Wren'), fang = w.npc('Fang'), bystander = w.player();
    w.step(200);
    expect(w.attacks.some((a) => a.attacker === fang.id && a.target === smith.id)).toBe(true);
    const blows = w.attacks.filter((a) => a.attacker === captain.id);
    expect(blows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(blows.map((b) => b.target))).toEqual(new Set([fang.id]));
    expect(bystander.body!.hp).toBe(100);
  });

  it('NPCs restored from a world saved before stances (their params, state and tags as they were then) behave the same', () => {
    const r = village(villagers, 0, 1);
    const image = captureWorld(r.sim.world);
    const npcs = [...image.ids].flatMap((id, i) => (image.kind[i] !== undefined && image.names[image.kind[i]!] === 'npc' ? [i] : []));
    expect(npcs).toHaveLength(3);
    for (const i of npcs) {
      const { persona, wander, wanderSpeed, mindTimeout, respawnDelay } = image.paramsTable[image.params[i]!] as Record<string, unknown>;
      image.paramsTable[image.params[i]!] = { persona, wander, wanderSpeed, mindTimeout, respawnDelay };
      const { chatWith, memory, nextTurn, dead } = image.states[i] as Record<string, unknown>;
      image.states[i] = { chatWith, memory, nextTurn, dead };
      const { stance: _stance, ref, ...tags } = image.tags[i] as Record<string, string>;
      image.tags[i] = { ...tags, pack: ref as string };
    }
    const sim = Simulation.fromImage(image, { registry: defaultRegistry(), terrain });
    const actor = (name: string) => [...sim.world.actors.values()].find((a) => a.tags?.name === name) as Actor;
    const smith = actor('Hilda'), wren = actor('Captain Wren'), ann = actor('Ann');
    expect((smith.state as NpcState).alarm).toBeUndefined();
    const start = dist(smith, ann);
    sim.input({ type: 'send', to: ann.id, message: { type: 'command', attack: smith.id } });
    const attacks: StepReport['attacks'][number][] = [];
    sim.run(100, (rep) => attacks.push(...rep.attacks));
    expect(dist(smith, ann)).toBeGreaterThan(start + 4);
    expect(attacks.filter((a) => a.attacker === wren.id && a.target === ann.id).length).toBeGreaterThanOrEqual(2);
    sim.run(300);
    expect(alarm(smith)).toBeNull();
    expect(fromHome(smith)).toBeLessThan(0.5);
  });

  it('is deterministic: the same run twice leaves the same state', () => {
    const once = (): string => {
      const r = village(villagers, 0, 1);
      r.sim.input({ type: 'send', to: r.player().id, message: { type: 'command', attack: r.npc('Hilda').id } });
      r.step(200);
      return JSON.stringify([...r.sim.world.actors.values()].map((a) => [a.id, a.body?.x, a.body?.y, a.body?.hp, a.state]));
    };
    expect(once()).toBe(once());
  });

  it('an NPC named in the spawns can still be the subject of an outcome', () => {
    const scenario = parseScenario({
      name: 't',
      spawns: [{ npc: { id: 'mayor', name: 'Mayor Pell', role: 'mayor', at: { x: 0, y: 0 }, wander: 0, hp: 10 } }],
      outcome: { lose: [{ packDefeated: 'mayor' }] },
    });
    const plan = planScenario(scenario, site);
    const sim = new Simulation({ seed: 'mayor', registry: defaultRegistry(), terrain });
    for (const i of plan.inputs) sim.input(i);
    sim.input({ type: 'spawn', spec: { kind: 'player', behaviour: 'player', body: { x: O, y: O + 1, faction: 'players', speed: 5, maxHp: 100 } } });
    sim.step();
    expect(checkOutcome(sim.world, plan.win, plan.lose)).toBeNull();
    sim.input({ type: 'send', to: 2, message: { type: 'command', attack: 1 } });
    sim.run(2);
    expect(checkOutcome(sim.world, plan.win, plan.lose)).toMatchObject({ result: 'lose', reason: 'lose[0]: packDefeated s:mayor' });
  });
});
