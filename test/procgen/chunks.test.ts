import { describe, expect, it } from 'vitest';
import { BIOME_NAMES, chunkHash, createWorldGen } from '../../procgen/index.ts';
import { Rng } from '../../shared/index.ts';
import { asciiMap } from './asciiMap.ts';

const COORDS: [number, number][] = [[0, 0], [1, 0], [0, 1], [-1, -1], [3, -2], [-5, 4]];

describe('chunked terrain', () => {
  it('same seed ⇒ same chunks (golden hashes)', () => {
    const w = createWorldGen({ seed: 42 });
    const hashes = Object.fromEntries(COORDS.map(([cx, cy]) => [`${cx},${cy}`, chunkHash(w.chunk(cx, cy))]));
    expect(hashes).toMatchInlineSnapshot(`
      {
        "-1,-1": "68be4898fb4c2879",
        "-5,4": "27274fe512074578",
        "0,0": "00983e84c631f27b",
        "0,1": "3959c82382652e36",
        "1,0": "013b6baeedbef7ad",
        "3,-2": "a48c291ea78f5cb3",
      }
    `);
  });

  it('same seed ⇒ same picture (golden ASCII map around a lair)', () => {
    const w = createWorldGen({ seed: 42 });
    const lair = w.lairsInRegion(0, 0, 128, 128)[0];
    expect(lair).toBeDefined();
    const map = asciiMap(w, lair!.x0 - 4, lair!.y0 - 2, 40, 24, 1);
    expect(`\n${map}\n`).toMatchInlineSnapshot(`
      "
      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      ^^^^XXXXXXXXXXXXXXXXXXX^^^^^^^^^^^^^^^^^
      ^^^^XXXXXXXXXXXXXXXXXXX^^^^^^^^^^^^^^^^^
      ^^^^XXXXXXXXXXXXXXXXXXX^^^^^^^^^^^^^^^^^
      n^^^XXXX#######X####XXX^^^^^^^^^^^^^^^^^
      nn^^XXXX#######X####XXX^^^^^^^^^^^^^^^^^
      nn^^XXXX#######+####XXX^^^^^^^^^^^^^^^^^
      nn^^XXXX#######X####XXX^^^^^^^^^^^^^^^^^
      nn^^XXXX#######XXXXXXXX^^^^^nnn^^^^^^^^^
      n^^^XXXX#######XXXXXXXX^^^^^onnn^^^^^^^^
      n^^^XXXX#######XXXXXXXX^^^^nnnnnn^^^^^^^
      n^^^XXXX#######XXXXXXXX^^^^nonnnon^^^^^^
      n^^^XXXXXXX+XXXXXXXXXXX^^^^nnnnnnnnn^^^^
      o^^^XXXXXXX#XXXXXXXXXXX^^^nnnnnnnnnnnn^^
      n^^^XXXXXXX#X#####XXXXX^^nnnnnnnnononnnn
      n^^^XXXXXXX#X#####XXXXXnnnnnnnnnnnnnnnnn
      nn^^XXXXXXX#+#####XXXXXnnnnnnnnonnnnnnnn
      nn^^XXXXXXXXX#####XXXXXnnononnnnnnnnonnn
      nnnnXXXXXXXXXXX+XXXXXXXnnnnonnnnnnnnnnnn
      nnnnXXXXXXXXXXX+XXXXXXXnnnnnnnnnnnnnnnnn
      nnnnnnnnn^^^^^^nnnnnnnnnnnnn"""""""nnnno
      nnnnnnnnnnnnnnnnnnnnnnnnn""""""""""""nnn
      nnonnnnnnnnnnnnnnnnnnn"""""""""""""""nnn
      "
    `);
  });

  it('generation order does not change content (and neither does eviction)', () => {
    const a = createWorldGen({ seed: 'order' });
    const b = createWorldGen({ seed: 'order', cache: { maxChunks: 1 } });
    const forward = COORDS.map(([cx, cy]) => chunkHash(a.chunk(cx, cy)));
    const order = Rng.create('shuffle').shuffle(COORDS.map((c, i) => [c, i] as const));
    const backward: string[] = [];
    for (const [[cx, cy], i] of order) backward[i] = chunkHash(b.chunk(cx, cy));
    // Regenerate after eviction, through the TerrainQuery path as well.
    for (const [cx, cy] of COORDS) b.isWalkable(cx * 64 + 5, cy * 64 + 7);
    expect(backward).toEqual(forward);
    expect(COORDS.map(([cx, cy]) => chunkHash(b.chunk(cx, cy)))).toEqual(forward);
  });

  it('different seeds differ', () => {
    const hs = ['1', '2', '3'].map((s) => chunkHash(createWorldGen({ seed: s }).chunk(0, 0)));
    expect(new Set(hs).size).toBe(3);
  });

  it('chunk borders agree with pointwise sampling (no seams)', () => {
    const w = createWorldGen({ seed: 9 });
    const rng = Rng.create('seams');
    for (let k = 0; k < 300; k++) {
      const tx = rng.int(-300, 300), ty = rng.int(-300, 300);
      expect(w.tile(tx, ty).biome).toBe(w.biomeAt(tx, ty));
    }
  });

  it('tile() agrees with the TerrainQuery', () => {
    const w = createWorldGen({ seed: 5 });
    for (let y = -40; y < 40; y += 3) for (let x = -40; x < 40; x += 3) {
      const t = w.tile(x, y);
      expect(w.isWalkable(x, y)).toBe(t.walkable);
      expect(w.moveCost(x + 0.7, y + 0.2)).toBe(t.moveCost);
      expect(t.walkable ? t.moveCost >= 1 && t.moveCost < Infinity : t.moveCost === Infinity).toBe(true);
      expect(t.cover).toBeGreaterThanOrEqual(0);
      expect(t.cover).toBeLessThanOrEqual(1);
    }
  });

  it('biome shares stay within expected ranges over many seeds', () => {
    const totals = new Map<string, number>();
    const seeds = 12;
    let n = 0;
    for (let s = 0; s < seeds; s++) {
      const w = createWorldGen({ seed: `share-${s}` });
      for (let y = -1024; y < 1024; y += 32) for (let x = -1024; x < 1024; x += 32) {
        const b = w.biomeAt(x, y);
        totals.set(b, (totals.get(b) ?? 0) + 1);
        n++;
      }
    }
    const share = (b: string): number => (totals.get(b) ?? 0) / n;
    for (const b of BIOME_NAMES) {
      expect(share(b), b).toBeGreaterThan(0.02);
      expect(share(b), b).toBeLessThan(0.3);
    }
    const water = share('deepWater') + share('shallowWater');
    expect(water).toBeGreaterThan(0.15);
    expect(water).toBeLessThan(0.5);
  });

  it('reads a rectangle of move costs across chunk edges as tile by tile', () => {
    const w = createWorldGen({ seed: 7 });
    const x0 = -70, y0 = 50, rw = 150, rh = 90, stride = 160, offset = 3;
    const out = new Float32Array(offset + stride * rh).fill(-1);
    w.moveCostRect(x0, y0, rw, rh, out, offset, stride);
    let walls = 0;
    for (let y = 0; y < rh; y++) {
      for (let x = 0; x < rw; x++) {
        const c = w.moveCost(x0 + x, y0 + y);
        expect(out[offset + y * stride + x]).toBe(c);
        if (c === Infinity) walls++;
      }
      // Cells between rows are left alone.
      expect(out[offset + y * stride + rw]).toBe(-1);
    }
    expect(walls).toBeGreaterThan(0);
  });
});
