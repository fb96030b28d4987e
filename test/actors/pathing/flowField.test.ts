import { describe, expect, it } from 'vitest';
import { buildFlowField, findPath } from '../../../actors/pathing/index.ts';
import { createWorldGen } from '../../../procgen/index.ts';
import { Rng } from '../../../shared/index.ts';
import { dijkstra, randomGrid } from './randomGrid.ts';

describe('flow fields', () => {
  it('lead every reachable tile to the target along cheapest paths', () => {
    const rng = Rng.create('flow');
    for (let k = 0; k < 50; k++) {
      const w = rng.int(4, 13), h = rng.int(4, 13);
      const g = randomGrid(`f${k}`, w, h, 0.3);
      const target = { x: rng.int(0, w - 1), y: rng.int(0, h - 1) };
      if (!g.isWalkable(target.x, target.y)) continue;
      const field = buildFlowField(g, target, { x0: 0, y0: 0, w, h });
      // Moves are symmetric in length but cost the tile entered, so compare with Dijkstra run from each tile.
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        const c = field.costAt(x, y);
        if (!g.isWalkable(x, y)) { expect(c).toBe(Infinity); continue; }
        const ref = dijkstra(g, { x, y })[target.y * w + target.x]!;
        expect(c).toBeCloseTo(ref, 9);
        if (c === Infinity) { expect(field.direction(x, y)).toBeNull(); continue; }
        // Follow the arrows: strictly cheaper each step, legal moves, ends on the target.
        let p = { x, y }, steps = 0, walked = 0;
        while (p.x !== target.x || p.y !== target.y) {
          const n = field.next(p.x, p.y)!;
          expect(n).not.toBeNull();
          const dx = n.x - p.x, dy = n.y - p.y;
          if (dx && dy) expect(g.isWalkable(p.x + dx, p.y) && g.isWalkable(p.x, p.y + dy)).toBe(true);
          walked += (dx && dy ? Math.SQRT2 : 1) * g.moveCost(n.x, n.y);
          expect(field.costAt(n.x, n.y)).toBeLessThan(field.costAt(p.x, p.y));
          p = n;
          expect(++steps).toBeLessThan(w * h);
        }
        expect(walked).toBeCloseTo(c, 9);
        expect(field.direction(target.x, target.y)).toBeNull();
      }
    }
  });

  it('agrees with A* on a generated world and steers toward the next tile', () => {
    const world = createWorldGen({ seed: 42 });
    const target = world.spawnsInRegion(0, 0, 128, 128).find((p) => p.kind === 'wild')!.anchor;
    const bounds = { x0: target.tx - 64, y0: target.ty - 64, w: 128, h: 128 };
    const field = buildFlowField(world, { x: target.tx, y: target.ty }, bounds);
    const rng = Rng.create('agree');
    let compared = 0;
    for (let k = 0; k < 30; k++) {
      const x = rng.int(bounds.x0, bounds.x0 + 127), y = rng.int(bounds.y0, bounds.y0 + 127);
      if (field.costAt(x, y) === Infinity) continue;
      const r = findPath(world, { x, y }, { x: target.tx, y: target.ty }, { margin: 0 });
      // A* confined to the start–target box may find a dearer path than the field (which sees more), never cheaper.
      if (r.status === 'found') expect(r.cost).toBeGreaterThanOrEqual(field.costAt(x, y) - 1e-9);
      const v = field.steer(x + 0.5, y + 0.5);
      const d = field.direction(x, y);
      if (d) expect(Math.hypot(v.x, v.y)).toBeCloseTo(1, 9);
      compared++;
    }
    expect(compared).toBeGreaterThan(5);
  });
});
