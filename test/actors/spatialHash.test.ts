import { describe, expect, it } from 'vitest';
import { SpatialHash } from '../../actors/index.ts';
import type { Body } from '../../actors/index.ts';
import { Rng } from '../../shared/index.ts';

function body(id: number, x: number, y: number, faction = 'a', alive = true): Body {
  return { id, x, y, vx: 0, vy: 0, heading: 0, radius: 0.4, speed: 1, hp: 1, maxHp: 1, alive, faction, homeX: x, homeY: y, changedAt: 0 };
}

function bruteWithin(bodies: Body[], x: number, y: number, r: number): number[] {
  return bodies.filter((b) => b.alive && (b.x - x) ** 2 + (b.y - y) ** 2 <= r * r).map((b) => b.id);
}

function bruteNearest(bodies: Body[], self: Body, r: number, accept: (b: Body) => boolean): number | undefined {
  let best: Body | undefined;
  let bestD2 = r * r;
  for (const b of bodies) {
    if (b === self || !b.alive || !accept(b)) continue;
    const d2 = (b.x - self.x) ** 2 + (b.y - self.y) ** 2;
    if (d2 < bestD2 || (d2 === bestD2 && best && b.id < best.id) || (d2 === bestD2 && !best)) {
      best = b;
      bestD2 = d2;
    }
  }
  return best?.id;
}

describe('SpatialHash', () => {
  // Dense layout (compact worlds), hashed layout (a few bodies spread far apart), negative coordinates.
  const layouts = [
    { name: 'dense', spread: 200, count: 2000 },
    { name: 'hashed', spread: 5_000_000, count: 300 },
    { name: 'negative', spread: -300, count: 1000 },
  ];
  for (const { name, spread, count } of layouts) {
    it(`matches brute force on random data (${name})`, () => {
      const rng = Rng.create(`spatial-${name}`);
      const bodies = Array.from({ length: count }, (_, i) =>
        body(i + 1, rng.float(Math.min(0, spread), Math.max(0, spread)), rng.float(Math.min(0, spread), Math.max(0, spread)), rng.pick(['a', 'b']), rng.chance(0.9)),
      );
      // A few duplicates of exact positions to exercise tie-breaking by id.
      bodies.push(body(count + 1, bodies[0]!.x, bodies[0]!.y, 'b'), body(count + 2, bodies[0]!.x, bodies[0]!.y, 'b'));
      const h = new SpatialHash(8);
      h.rebuild(bodies);
      expect(h.size).toBe(bodies.filter((b) => b.alive).length);
      const queries = Math.abs(spread) > 10_000 ? bodies.map((b) => [b.x, b.y] as const) : Array.from({ length: 300 }, () => [rng.float(Math.min(0, spread), Math.max(0, spread)), rng.float(Math.min(0, spread), Math.max(0, spread))] as const);
      for (const [x, y] of queries) {
        for (const r of [0.5, 6, 20]) expect(h.within(x, y, r).map((b) => b.id)).toEqual(bruteWithin(bodies, x, y, r));
      }
      const hostile = (c: Body, me: Body) => c.faction !== me.faction;
      for (const self of bodies.slice(0, 300)) {
        const got = h.nearest(self, 12, hostile)?.id;
        expect(got).toBe(bruteNearest(bodies, self, 12, (b) => b.faction !== self.faction));
      }
    });
  }

  for (const { name, spread } of [{ name: 'dense', spread: 120 }, { name: 'hashed', spread: 3_000_000 }]) {
    it(`finds the nearest foe like brute force, packs of one faction and all (${name})`, () => {
      // Packs of one faction (whole cells of one side) with strays of the others among them.
      const rng = Rng.create(`spatial-foes-${name}`);
      const bodies: Body[] = [];
      for (let p = 0; p < 150; p++) {
        const px = rng.float(-spread, spread), py = rng.float(-spread, spread), side = rng.pick(['wild', 'wild', 'wild', 'players', 'undead']);
        for (let k = 0; k < rng.int(1, 8); k++) {
          bodies.push(body(bodies.length + 1, px + rng.float(-6, 6), py + rng.float(-6, 6), rng.chance(0.1) ? rng.pick(['wild', 'players', 'undead']) : side, rng.chance(0.95)));
        }
      }
      const h = new SpatialHash(8);
      h.rebuild(bodies);
      const notSeven = (c: Body) => c.id % 7 !== 0;
      let found = 0;
      for (const self of bodies) {
        for (const r of [4, 12, 40]) {
          const want = bruteNearest(bodies, self, r, (b) => b.faction !== self.faction);
          expect(h.nearest(self, r, () => true, true)?.id).toBe(want);
          expect(h.nearest(self, r, notSeven, true)?.id).toBe(bruteNearest(bodies, self, r, (b) => b.faction !== self.faction && notSeven(b)));
          // Without `foes` every side counts.
          expect(h.nearest(self, r, () => true)?.id).toBe(bruteNearest(bodies, self, r, () => true));
          if (want !== undefined) found++;
        }
      }
      expect(found).toBeGreaterThan(100);
    });
  }

  it('reflects moves and deaths after a rebuild', () => {
    const a = body(1, 0, 0);
    const b = body(2, 100, 100);
    const h = new SpatialHash(8);
    h.rebuild([a, b]);
    expect(h.within(0, 0, 5).map((x) => x.id)).toEqual([1]);
    b.x = 1;
    b.y = 1;
    a.alive = false;
    h.rebuild([a, b, null]);
    expect(h.within(0, 0, 5).map((x) => x.id)).toEqual([2]);
    h.rebuild([]);
    expect(h.within(0, 0, 500)).toEqual([]);
    expect(() => new SpatialHash(0)).toThrow(RangeError);
  });
});
