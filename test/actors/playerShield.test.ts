import { describe, expect, it } from 'vitest';
import { defaultRegistry, effectProblem, FlatTerrain, isShielded, Simulation } from '../../actors/index.ts';

const terrain = new FlatTerrain(64, 64);

/** A player with `shield` seconds of protection and a wolf next to it that bites for 30 (20 steps a second). */
function fight(shield: number) {
  const sim = new Simulation({ seed: 'shield', registry: defaultRegistry(), terrain, dt: 1 / 20 });
  sim.input({ type: 'spawn', spec: { kind: 'player', behaviour: 'player', params: { shield, respawnDelay: 3600 }, body: { x: 30, y: 30, faction: 'players', speed: 5, maxHp: 100 }, tags: { name: 'Ann' } } });
  sim.input({ type: 'spawn', spec: { kind: 'monster', behaviour: 'monster', params: { perception: 6, damage: 30, cooldown: 0.5, personality: false, activation: 0, wanderSpeed: 0 }, body: { x: 31, y: 30, faction: 'wild', maxHp: 500 }, tags: { species: 'wolf', name: 'Fang' } } });
  sim.step();
  const ids = [...sim.world.actors.values()];
  const player = ids.find((a) => a.kind === 'player')!;
  const wolf = ids.find((a) => a.kind === 'monster')!;
  return { sim, player, wolf };
}

describe('spawn protection and respawn points (simulation, manual steps)', () => {
  it('a shielded avatar takes no blow and is no target until the shield ends; without a shield it is hit at once', () => {
    const { sim, player, wolf } = fight(2);
    expect(isShielded(sim.world, player.id)).toBe(true);
    for (let i = 0; i < 35; i++) sim.step(); // 1.8 s
    expect(player.body!.hp).toBe(100);
    expect((wolf.state as { target: number }).target).not.toBe(player.id);
    for (let i = 0; i < 30; i++) sim.step();
    expect(isShielded(sim.world, player.id)).toBe(false);
    expect(player.body!.hp).toBeLessThan(100);

    const bare = fight(0);
    for (let i = 0; i < 30; i++) bare.sim.step();
    expect(bare.player.body!.hp).toBeLessThan(100);
    expect(isShielded(bare.sim.world, bare.player.id)).toBe(false);
  });

  it('attacking ends the shield at once', () => {
    const { sim, player, wolf } = fight(5);
    sim.input({ type: 'send', to: player.id, message: { type: 'command', attack: wolf.id } });
    sim.step();
    sim.step();
    expect(isShielded(sim.world, player.id)).toBe(false);
    expect(wolf.body!.hp).toBeLessThan(500);
  });

  it('a dead avatar respawns where the command says, shielded again; the same command is ignored while alive', () => {
    const { sim, player } = fight(1);
    for (let i = 0; i < 400 && player.body!.alive; i++) sim.step();
    expect(player.body!.alive).toBe(false);
    sim.input({ type: 'send', to: player.id, message: { type: 'command', respawn: { x: 10.5, y: 12.5 } } });
    sim.step();
    expect(player.body!.alive).toBe(true);
    expect(player.body!.hp).toBe(100);
    expect([player.body!.x, player.body!.y]).toEqual([10.5, 12.5]);
    expect(isShielded(sim.world, player.id)).toBe(true);
    sim.input({ type: 'send', to: player.id, message: { type: 'command', respawn: { x: 40.5, y: 40.5 } } });
    sim.step();
    expect(Math.hypot(player.body!.x - 10.5, player.body!.y - 12.5)).toBeLessThan(1);
  });

  it('a respawn effect with half a point, or a point that is not a number, is refused with the reason', () => {
    expect(effectProblem({ type: 'respawn' })).toBeNull();
    expect(effectProblem({ type: 'respawn', x: 1, y: 2 })).toBeNull();
    expect(effectProblem({ type: 'respawn', x: 1 })).toBe('respawn.x and respawn.y must be given together');
    expect(effectProblem({ type: 'respawn', x: Number.NaN, y: 2 })).toMatch(/respawn\.x and respawn\.y must be finite numbers, got NaN, 2/);
  });
});
