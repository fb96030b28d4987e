import { describe, expect, it } from 'vitest';
import { entityColour, healthColour, tileColour } from '../../client/colours.ts';
import { FrameStats, PingStats } from '../../client/frameStats.ts';
import { BIOMES, createWorldGen } from '../../procgen/index.ts';

describe('frame and ping statistics', () => {
  it('averages frame times over a window', () => {
    const f = new FrameStats(3);
    expect(f.meanMs).toBe(0);
    for (const t of [0, 16, 32, 48, 100]) f.frame(t);
    expect(f.meanMs).toBeCloseTo((16 + 16 + 52) / 3);
    expect(f.worstMs).toBe(52);
    expect(f.fps).toBeCloseTo(1000 / f.meanMs);
  });

  it('smooths the round trip of ping/pong pairs', () => {
    const p = new PingStats(0.5);
    expect(p.rttMs).toBeUndefined();
    expect(p.pong(100, 140)).toBe(40);
    p.pong(200, 280);
    expect(p.rttMs).toBe(60);
    expect(p.last).toBe(80);
  });
});

describe('colours', () => {
  it('gives each species a stable colour distinct from the player colours', () => {
    expect(entityColour({ kind: 'monster', species: 'wolf' })).toBe(entityColour({ kind: 'monster', species: 'wolf' }));
    expect(entityColour({ kind: 'monster', species: 'wolf' })).not.toBe(entityColour({ kind: 'monster', species: 'goblin' }));
    expect(entityColour({ kind: 'player', species: '' })).not.toBe(entityColour({ kind: 'player', species: '' }, true));
    for (const s of ['wolf', 'goblin', 'bear', 'spider', 'rat', 'ogre']) {
      const hue = Number(/hsl\((\d+)/.exec(entityColour({ kind: 'monster', species: s }))![1]);
      expect(hue < 150 || hue >= 250).toBe(true);
    }
    expect(healthColour(1)).toBe('hsl(120, 80%, 45%)');
    expect(healthColour(-3)).toBe('hsl(0, 80%, 45%)');
  });

  it('colours tiles of a chunk regenerated from the seed like the server generates them', () => {
    const gen = createWorldGen({ seed: 'client-colours' });
    const c = gen.chunk(0, 0);
    const seen = new Set<string>();
    for (let i = 0; i < c.size * c.size; i++) seen.add(tileColour(c, i).join(','));
    expect(seen.size).toBeGreaterThan(5);
    const i = [...c.feature].findIndex((f, k) => f === 0 && c.structure[k] === 0);
    const base = BIOMES[c.biome[i]!]!.color;
    const shade = 0.8 + 0.4 * c.height[i]!;
    expect(tileColour(c, i)).toEqual(base.map((v) => Math.min(255, Math.round(v * shade))));
  });
});
