import { describe, expect, it } from 'vitest';
import { createWorldGen, parseSpeciesTable, DEFAULT_SPECIES } from '../../procgen/index.ts';
import { stableHash } from '../../shared/index.ts';

const table = parseSpeciesTable(DEFAULT_SPECIES);

describe('spawns', () => {
  for (const seed of [42, 'spawn', 99]) {
    it(`never on unwalkable tiles, packs grouped, stats in range (seed ${seed})`, () => {
      const w = createWorldGen({ seed });
      const packs = w.spawnsInRegion(-256, -256, 512, 512);
      expect(packs.length).toBeGreaterThan(20);
      expect(packs.some((p) => p.kind === 'lair')).toBe(true);
      const tiles = new Set<string>();
      for (const p of packs) {
        const sp = table.species[p.species]!;
        expect(sp).toBeDefined();
        expect(p.members.length).toBeGreaterThanOrEqual(1);
        expect(p.members.length).toBeLessThanOrEqual(sp.packSize[1]);
        expect(p.members[0]!.tx).toBe(p.anchor.tx);
        for (const m of p.members) {
          expect(w.isWalkable(m.tx, m.ty), `${m.id} at ${m.tx},${m.ty}`).toBe(true);
          expect(tiles.has(`${m.tx},${m.ty}`)).toBe(false);
          tiles.add(`${m.tx},${m.ty}`);
          expect(m.x).toBe(m.tx + 0.5);
          const structure = w.tile(m.tx, m.ty).structure;
          if (p.kind === 'wild') {
            expect(Math.max(Math.abs(m.tx - p.anchor.tx), Math.abs(m.ty - p.anchor.ty))).toBeLessThanOrEqual(w.params.spawns.packRadius);
            expect(structure).toBe('none');
          } else {
            expect(structure).toBe('floor');
          }
          for (const k of ['hp', 'attack', 'defense', 'speed', 'sight'] as const) {
            expect(m.stats[k]).toBeGreaterThanOrEqual(sp.stats[k][0]);
            expect(m.stats[k]).toBeLessThanOrEqual(sp.stats[k][1]);
          }
          expect(m.name.length).toBeGreaterThan(1);
          for (const l of m.loot) expect(sp.loot.map((x) => x.item)).toContain(l.item);
        }
      }
    });
  }

  it('are deterministic and independent of generation order', () => {
    const a = createWorldGen({ seed: 11 });
    const b = createWorldGen({ seed: 11, cache: { maxChunks: 2 } });
    b.spawnsInRegion(100, 100, 200, 200);
    expect(stableHash(b.spawnsInRegion(-128, -128, 256, 256))).toBe(stableHash(a.spawnsInRegion(-128, -128, 256, 256)));
    const sub = a.spawnsInRegion(0, 0, 64, 64);
    expect(sub.every((p) => p.anchor.tx >= 0 && p.anchor.tx < 64 && p.anchor.ty >= 0 && p.anchor.ty < 64)).toBe(true);
  });

  it('density follows the table (0 ⇒ no wild packs)', () => {
    const none = createWorldGen({ seed: 4, spawns: { densityScale: 0 } }).spawnsInRegion(-256, -256, 512, 512);
    expect(none.every((p) => p.kind === 'lair')).toBe(true);
    const more = createWorldGen({ seed: 4, spawns: { densityScale: 4 } }).spawnsInRegion(-256, -256, 512, 512);
    const normal = createWorldGen({ seed: 4 }).spawnsInRegion(-256, -256, 512, 512);
    expect(more.length).toBeGreaterThan(normal.length * 2);
  });
});
