import { describe, expect, it } from 'vitest';
import { BehaviourRegistry, FlatTerrain, monsterBehaviour, MIND_PORTS, packPlans, playerBehaviour, Simulation } from '../../actors/index.ts';
import type { ReplyInput, WorldInput } from '../../actors/index.ts';
import { inspectActor } from '../../rooms/actorInspection.ts';
import { packName } from '../../rooms/actorNames.ts';
import { DecisionLog } from '../../rooms/decisionLog.ts';
import { battle, coordinatorOf, hero as battleHero, wolf } from '../actors/coordinator/helpers.ts';

const PACK = 'pack:-1:0:0';

function bandit(x: number, y: number, name: string): WorldInput {
  return {
    type: 'spawn',
    spec: {
      kind: 'monster', behaviour: 'monster', params: { personality: false, activation: 20, perception: 6, thinkEvery: 0.5, respawnDelay: 3600 },
      body: { x, y, maxHp: 40, speed: 3, faction: 'wild' }, tags: { species: 'bandit', name, pack: PACK },
    },
  };
}

const hero: WorldInput = { type: 'spawn', spec: { kind: 'player', behaviour: 'player', params: { respawnDelay: 3600 }, body: { x: 24, y: 10, maxHp: 5000, hp: 5000, speed: 5, faction: 'players' }, tags: { name: 'Ada' } } };

/** A bandit (Grak, #1) 14 tiles from Ada (#3): awake (activation 20) but with no foe in its perception (6). */
function setup() {
  const sim = new Simulation({ seed: 'inspect', registry: new BehaviourRegistry().register(monsterBehaviour).register(playerBehaviour), terrain: new FlatTerrain(64, 64) });
  sim.input(bandit(10, 10, 'Grak'));
  sim.input(bandit(10, 12, 'Brenna'));
  sim.input(hero);
  const log = new DecisionLog();
  let pending: ReplyInput[] = [];
  /** Step `n` times, answering every think ask of Grak with `action` (as the room does: noted, delivered, judged). */
  const run = (n: number, action: string) => {
    for (let i = 0; i < n; i++) {
      for (const r of pending) {
        log.replied(r, sim.world.tick);
        sim.reply(r);
      }
      const delivered = pending.length ? log.waiting : 0;
      pending = [];
      const report = sim.step();
      log.judge(sim.world, delivered);
      log.asked(report.requests);
      for (const r of report.requests) if (r.port === MIND_PORTS.think && r.actor === 1) pending.push({ requestId: r.requestId, ok: true, value: { action, confidence: 0.83, source: 'model' } });
    }
  };
  return { sim, log, run };
}

describe('the inspector', () => {
  it('says a decision was not followed, and why, when a bandit decides to attack with no foe in its perception', () => {
    const { sim, log, run } = setup();
    run(40, 'attack');
    const d = inspectActor(sim.world, 1, log.of(1))!.sections.decisions[0]!;
    expect(d).toMatchObject({ kind: 'think', decided: 'attack', target: null, followed: false });
    expect(d.reason).toBe('the decision model, 83% sure; it saw: no foe in sight, own hp 100%, 1 ally near');
    expect(d.outcome).toBe('no foe within its perception (6 tiles): it wanders');
    expect(d.tick).toBeLessThanOrEqual(sim.world.tick);
  });

  it('names the target of a followed decision', () => {
    const { sim, log, run } = setup();
    run(10, 'attack');
    const ada = sim.world.actors.get(3)!.body!;
    ada.x = 13;
    run(12, 'attack');
    const d = inspectActor(sim.world, 1, log.of(1))!.sections.decisions[0]!;
    expect(d).toMatchObject({ decided: 'attack', target: { id: 3, name: 'Ada' }, followed: true });
    expect(d.outcome).toMatch(/^it (chases|fights) Ada \(#3\)$/);
    expect(d.reason).toMatch(/nearest foe \d+\.\d tiles away/);
  });

  it('lays an actor out in sections: names not ids, ticks not seconds', () => {
    const { sim, log, run } = setup();
    run(30, 'wander');
    const s = inspectActor(sim.world, 1, log.of(1), { biomeAt: () => 'grassland' })!.sections;
    expect(s.summary).toMatchObject({ id: 1, name: 'Grak', kind: 'monster', species: 'bandit', hp: '40 / 40', alive: true, tick: sim.world.tick, pack: "Grak's bandits" });
    expect(s.summary.where!.words).toMatch(/^in the grassland, \d+ tiles (south-east|east|south) of the centre$/);
    expect(Object.keys(s)).toEqual(['summary', 'state', 'orderAndPlan', 'decisions', 'memory', 'persona', 'failures']);
    const rows = Object.fromEntries(s.state.map((r) => [r.label, r.value]));
    expect(rows.mode).toBe('wander');
    expect(rows['next think']).toMatch(/^in \d+ ticks? \(tick \d+\)$|^due$/);
    expect(rows['last hit at']).toBe('never');
    // The traits, next to what they change in its reflexes (perception 6, leash 1.5, fleeBelow 0.25; middling traits).
    const persona = Object.fromEntries(s.persona.map((r) => [r.label, r.value]));
    expect(persona.traits).toBe('aggression 0.50, courage 0.50, sociability 0.50, greed 0.50, curiosity 0.50, cunning 0.50 (no personality: middling)');
    expect(persona.flees).toBe('below 25% hp (courage 0.50)');
    expect(persona.engages).toBe('within 6.0 tiles of a foe, chases it up to 9.0 tiles (aggression 0.50)');
    expect(persona.keeps).toBe('within 4.2 tiles of its pack (sociability 0.50)');
    expect(persona.flanks).toBe('45° off the line when it flanks (cunning 0.50)');
    // No float seconds and no internal ids anywhere a person reads.
    const text = JSON.stringify(s);
    expect(text).not.toMatch(/\d\.\d{3,}/);
    expect(text).not.toContain(PACK);
    expect(packName(sim.world, PACK)).toBe("Grak's bandits");
  });

  it('shows a monster\'s forced traits next to what they change', () => {
    const sim = new Simulation({ seed: 'inspect', registry: new BehaviourRegistry().register(monsterBehaviour), terrain: new FlatTerrain(64, 64) });
    sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { personality: false, perception: 8, traits: { courage: 0.9, sociability: 0.1 } }, body: { x: 10, y: 10, maxHp: 40, speed: 3, faction: 'wild' } } });
    sim.step();
    const persona = Object.fromEntries(inspectActor(sim.world, 1, [])!.sections.persona.map((r) => [r.label, r.value]));
    expect(persona.traits).toMatch(/courage 0\.90, sociability 0\.10, .*\(no personality: middling, courage, sociability set by the designer\)$/);
    expect(persona.flees).toBe('below 15% hp (courage 0.90)');
    expect(persona.keeps).toBe('3.2 tiles away from its pack mates (sociability 0.10)');
  });

  it('shows what was said from the chat memory, with ticks and names', () => {
    const { sim, log, run } = setup();
    run(2, 'wander');
    const grak = sim.world.actors.get(1)!;
    (grak as { state: unknown }).state = {
      ...(grak.state as object),
      memory: { 3: { name: 'Ada', disposition: 0.25, exchanges: 1, intents: { greet: 1 }, topics: [], lines: [{ who: 'player', text: 'hello there', intent: 'greet', at: 1.5 }, { who: 'self', text: 'Grr. What do you want?', at: 1.55 }], summary: '', changes: [], at: 1.55 } },
    };
    const m = inspectActor(sim.world, 1, log.of(1))!.sections.memory;
    expect(m).toEqual([{ player: { id: 3, name: 'Ada' }, disposition: 0.25, exchanges: 1, summary: '', lastTick: 31, lines: [{ tick: 30, who: 'Ada', text: 'hello there' }, { tick: 31, who: 'Grak', text: 'Grr. What do you want?' }] }]);
  });

  it('says a pack member\'s order and its pack\'s plan in words, and the coordinator lists every plan', () => {
    const sim = battle([wolf(10, 10), wolf(12, 10), wolf(11, 12), battleHero(10, 17, 'Ann')]);
    sim.run(3);
    const coordinator = coordinatorOf(sim.world);
    const plan = packPlans(sim.world.actors.get(coordinator.id)!.state)[0]!;
    const op = inspectActor(sim.world, 2, [], { plan })!.sections.orderAndPlan;
    expect(op.order).toMatch(/^[a-z ]+( against Ann \(#4\))?( at \(-?\d+(\.\d)?, -?\d+(\.\d)?\))? until in \d+ ticks \(tick \d+\)$/);
    expect(op.plan).toMatch(/^w10's wolves: \w+; w10 [a-z ]+/);
    expect(op.plan).toMatch(/made 2 ticks ago \(tick 1\), expires in \d+ ticks/);
    expect(op.planSource).toBe('Local tactician — the cloud has not answered yet');
    expect(inspectActor(sim.world, coordinator.id, [])!.sections.orderAndPlan.plan).toBe(op.plan);
    expect(JSON.stringify(op)).not.toContain('p1');
  });
});
