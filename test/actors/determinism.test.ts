import { describe, expect, it } from 'vitest';
import { defaultRegistry, demoSpawns, FlatTerrain, parseEventLog, replay, Simulation } from '../../actors/index.ts';
import type { StepReport } from '../../actors/index.ts';

const terrain = new FlatTerrain(96, 96, [[10, 10], [10, 11], [10, 12], [11, 12]]);

/** A run that exercises everything: monsters fighting, a player commanding, asks answered and late. */
function run(seed: string, ticks: number): Simulation {
  const sim = new Simulation({ seed, registry: defaultRegistry(), terrain, setup: { terrain: 'flat96' } });
  for (const input of demoSpawns({ seed, count: 150, width: 96, height: 96 })) sim.input(input);
  sim.input({ type: 'spawn', spec: { kind: 'player', behaviour: 'player', body: { x: 48, y: 48, faction: 'players', speed: 4 } } });
  const onStep = (r: StepReport): void => {
    const t = sim.world.tick;
    if (t % 50 === 0) sim.input({ type: 'send', to: 151, message: { type: 'command', move: { x: Math.cos(t), y: Math.sin(t) }, attack: 1 + (t % 150) } });
    // Answer any mind requests on the next tick, as a host would.
    for (const q of r.requests) sim.reply({ requestId: q.requestId, ok: true, value: t });
  };
  sim.run(ticks, onStep);
  return sim;
}

describe('determinism', () => {
  it('same seed and inputs give the same state hash after 10,000 ticks; another seed another hash', () => {
    const a = run('alpha', 10_000);
    const b = run('alpha', 10_000);
    const c = run('beta', 10_000);
    expect(a.world.stats.deaths).toBeGreaterThan(10); // the run really exercised fights, deaths and respawns
    expect(a.hash()).toBe(b.hash());
    expect(c.hash()).not.toBe(a.hash());
  });

  it('replay of a recorded log reproduces the state hash, through JSON', () => {
    const original = run('gamma', 1500);
    const log = JSON.parse(JSON.stringify(original.log));
    const again = replay(log, { registry: defaultRegistry(), terrain });
    expect(again.world.tick).toBe(1500);
    expect(again.hash()).toBe(original.hash());
  });

  it('a changed log gives a different hash, and a damaged log is refused with the field named', () => {
    const original = run('delta', 300);
    const log = JSON.parse(JSON.stringify(original.log));
    const cmd = log.entries.find((e: { input?: { type: string } }) => e.input?.type === 'send');
    cmd.input.message.move.x = -cmd.input.message.move.x;
    expect(replay(log, { registry: defaultRegistry(), terrain }).hash()).not.toBe(original.hash());
    expect(() => parseEventLog({ ...log, entries: [{ tick: 0, input: { type: 'spawn' } }] })).toThrow(/entries\[0\]\.tick/);
    expect(() => parseEventLog({ ...log, format: 'x' })).toThrow(/format/);
  });

  it('the fixed-step accumulator turns elapsed time into whole steps', () => {
    const sim = new Simulation({ seed: 's', registry: defaultRegistry(), terrain, dt: 0.05, record: false });
    expect(sim.advance(0.12)).toBe(2);
    expect(sim.advance(0.03)).toBe(1);
    expect(sim.world.tick).toBe(3);
    expect(sim.world.time).toBeCloseTo(0.15, 9);
  });
});
