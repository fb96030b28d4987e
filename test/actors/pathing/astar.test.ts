import { describe, expect, it } from 'vitest';
import { AStarSearch, findPath } from '../../../actors/pathing/index.ts';
import type { PathResult } from '../../../actors/pathing/index.ts';
import { createWorldGen } from '../../../procgen/index.ts';
import { Rng } from '../../../shared/index.ts';
import type { TerrainQuery } from '../../../shared/index.ts';
import { dijkstra, randomGrid } from './randomGrid.ts';
import type { TestGrid } from './randomGrid.ts';

/** Re-walk a path checking each step's legality and summing its cost. */
function walk(t: TerrainQuery, r: PathResult): number {
  let cost = 0;
  for (let i = 1; i < r.path.length; i++) {
    const a = r.path[i - 1]!, b = r.path[i]!;
    const dx = b.x - a.x, dy = b.y - a.y;
    expect(Math.max(Math.abs(dx), Math.abs(dy))).toBe(1);
    expect(t.isWalkable(b.x, b.y)).toBe(true);
    if (dx && dy) {
      expect(t.isWalkable(a.x + dx, a.y) && t.isWalkable(a.x, a.y + dy), 'no corner cutting').toBe(true);
    }
    cost += (dx && dy ? Math.SQRT2 : 1) * t.moveCost(b.x, b.y);
  }
  return cost;
}

describe('A*', () => {
  it('matches Dijkstra path costs on random grids', () => {
    const rng = Rng.create('astar-vs-dijkstra');
    let found = 0, unreachable = 0;
    for (let k = 0; k < 150; k++) {
      const w = rng.int(4, 24), h = rng.int(4, 24);
      const g = randomGrid(`g${k}`, w, h, rng.float(0, 0.4));
      const from = { x: rng.int(0, w - 1), y: rng.int(0, h - 1) };
      const to = { x: rng.int(0, w - 1), y: rng.int(0, h - 1) };
      const ref = dijkstra(g, from)[to.y * w + to.x]!;
      const r = findPath(g, from, to, { margin: 24 }); // the window covers the whole grid
      if (!g.isWalkable(to.x, to.y) || ref === Infinity) {
        expect(r.status).toBe('unreachable');
        expect(r.path).toEqual([]);
        unreachable++;
        continue;
      }
      expect(r.status).toBe('found');
      expect(r.cost).toBeCloseTo(ref, 9);
      expect(walk(g, r)).toBeCloseTo(r.cost, 9);
      expect(r.path[0]).toEqual(from);
      expect(r.path.at(-1)).toEqual(to);
      found++;
    }
    expect(found).toBeGreaterThan(50);
    expect(unreachable).toBeGreaterThan(5);
  });

  it('bounds the way into an expensive goal region tighter than octile distance, and still finds the cheapest path', () => {
    // Open ground (cost 1) with a 31 × 31 swamp (cost 3) around the goal: every path's last 15 tiles are swamp.
    const w = 80, h = 41;
    const costs = new Float64Array(w * h).fill(1);
    for (let y = 5; y <= 35; y++) for (let x = 45; x <= 75; x++) costs[y * w + x] = 3;
    const moveCost = (x: number, y: number): number => (x < 0 || y < 0 || x >= w || y >= h ? Infinity : (costs[y * w + x] as number));
    const g: TestGrid = { w, h, costs, tileSize: 1, moveCost, isWalkable: (x, y) => moveCost(x, y) < Infinity };
    const from = { x: 2, y: 20 }, to = { x: 60, y: 20 };
    const fromStart = dijkstra(g, from), cheapest = fromStart[to.y * w + to.x]!;
    const r = findPath(g, from, to, { margin: 80 });
    expect(r.status).toBe('found');
    expect(r.cost).toBeCloseTo(cheapest, 9);
    expect(walk(g, r)).toBeCloseTo(r.cost, 9);
    // With octile distance alone, A* must expand every tile whose g + h lies below the cheapest cost.
    let octileMust = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const ax = Math.abs(x - to.x), ay = Math.abs(y - to.y);
        if (fromStart[y * w + x]! + Math.max(ax, ay) + (Math.SQRT2 - 1) * Math.min(ax, ay) < cheapest - 1e-9) octileMust++;
      }
    }
    expect(octileMust).toBeGreaterThan(1000);
    expect(r.expanded).toBeLessThan(octileMust / 2);
  });

  it('matches Dijkstra where step costs span hundreds of units (the open set widens its buckets)', () => {
    const rng = Rng.create('astar-steep');
    for (let k = 0; k < 40; k++) {
      const w = rng.int(8, 30), h = rng.int(8, 30);
      const g = randomGrid(`steep${k}`, w, h, 0.15, [1, 1, 3, 60, 900]);
      const from = { x: rng.int(0, w - 1), y: rng.int(0, h - 1) }, to = { x: rng.int(0, w - 1), y: rng.int(0, h - 1) };
      const ref = dijkstra(g, from)[to.y * w + to.x]!;
      const r = findPath(g, from, to, { margin: 30 });
      if (!g.isWalkable(to.x, to.y) || ref === Infinity) expect(r.status).toBe('unreachable');
      else {
        expect(r.status).toBe('found');
        expect(r.cost).toBeCloseTo(ref, 6);
        expect(walk(g, r)).toBeCloseTo(r.cost, 6);
      }
    }
  });

  it('with a heuristic weight, returns a legal path within that factor of the cheapest, expanding fewer nodes', () => {
    const rng = Rng.create('astar-weighted');
    let fewer = 0, found = 0;
    for (let k = 0; k < 60; k++) {
      const w = rng.int(10, 40), h = rng.int(10, 40);
      const g = randomGrid(`w${k}`, w, h, rng.float(0, 0.3));
      const from = { x: rng.int(0, w - 1), y: rng.int(0, h - 1) }, to = { x: rng.int(0, w - 1), y: rng.int(0, h - 1) };
      const ref = dijkstra(g, from)[to.y * w + to.x]!;
      if (!g.isWalkable(to.x, to.y) || ref === Infinity) continue;
      const exact = findPath(g, from, to, { margin: 40 });
      const r = findPath(g, from, to, { margin: 40, heuristicWeight: 1.5 });
      expect(r.status).toBe('found');
      expect(walk(g, r)).toBeCloseTo(r.cost, 9);
      expect(r.cost).toBeLessThanOrEqual(ref * 1.5 + 1e-9);
      found++;
      if (r.expanded < exact.expanded) fewer++;
    }
    expect(found).toBeGreaterThan(30);
    expect(fewer).toBeGreaterThan(found / 2);
  });

  it('does not cut corners', () => {
    // . #      diagonal (0,0)→(1,1) is blocked by the wall at (1,0) and must go around via (0,1).
    // . .
    const costs = [[1, Infinity], [1, 1]];
    const t: TerrainQuery = {
      tileSize: 1,
      moveCost: (x, y) => costs[y]?.[x] ?? Infinity,
      isWalkable: (x, y) => (costs[y]?.[x] ?? Infinity) < Infinity,
    };
    const r = findPath(t, { x: 0, y: 0 }, { x: 1, y: 1 });
    expect(r.path).toEqual([{ x: 0, y: 0 }, { x: 0, y: 1 }, { x: 1, y: 1 }]);
    expect(r.cost).toBe(2);
  });

  it('stops at maxNodes with a best-effort partial path', () => {
    const g = randomGrid('big', 200, 200, 0.1);
    const r = findPath(g, { x: 1, y: 1 }, { x: 190, y: 190 }, { maxNodes: 50 });
    expect(r.status).toBe('limit');
    expect(r.expanded).toBe(50);
    expect(r.path[0]).toEqual({ x: 1, y: 1 });
  });

  it('finds paths across a generated world, respecting its costs', () => {
    const w = createWorldGen({ seed: 42 });
    const packs = w.spawnsInRegion(-128, -128, 256, 256).filter((p) => p.kind === 'wild');
    let ok = 0;
    for (let i = 1; i < packs.length; i++) {
      const a = packs[i - 1]!.anchor, b = packs[i]!.anchor;
      const r = findPath(w, { x: a.tx, y: a.ty }, { x: b.tx, y: b.ty }, { maxNodes: 40_000 });
      if (r.status !== 'found') continue;
      expect(walk(w, r)).toBeCloseTo(r.cost, 6);
      ok++;
    }
    expect(ok).toBeGreaterThan(3);
  });

  it('matches Dijkstra on a generated world, reading its costs a block at a time across chunk edges', () => {
    const w = createWorldGen({ seed: 'astar-world' });
    const rng = Rng.create('astar-world-routes');
    let checked = 0;
    for (let tries = 0; checked < 6 && tries < 400; tries++) {
      // Routes around chunk corners (chunks are 64 tiles), so windows straddle up to four chunks.
      const from = { x: 64 * rng.int(-3, 3) + rng.int(-20, 20), y: 64 * rng.int(-3, 3) + rng.int(-20, 20) };
      const to = { x: from.x + rng.int(-24, 24), y: from.y + rng.int(-24, 24) };
      if (!w.isWalkable(from.x, from.y) || !w.isWalkable(to.x, to.y)) continue;
      const margin = 6;
      const x0 = Math.min(from.x, to.x) - margin, y0 = Math.min(from.y, to.y) - margin;
      const gw = Math.abs(from.x - to.x) + 2 * margin + 1, gh = Math.abs(from.y - to.y) + 2 * margin + 1;
      // The same window as a plain grid, read tile by tile, for the reference.
      const costs = new Float64Array(gw * gh);
      for (let y = 0; y < gh; y++) for (let x = 0; x < gw; x++) costs[y * gw + x] = w.moveCost(x0 + x, y0 + y);
      const moveCost = (x: number, y: number): number => (x < 0 || y < 0 || x >= gw || y >= gh ? Infinity : costs[y * gw + x]!);
      const grid: TestGrid = { w: gw, h: gh, costs, tileSize: 1, moveCost, isWalkable: (x, y) => moveCost(x, y) < Infinity };
      const ref = dijkstra(grid, { x: from.x - x0, y: from.y - y0 })[(to.y - y0) * gw + (to.x - x0)]!;
      const r = findPath(w, from, to, { margin, maxNodes: 100_000 });
      if (ref === Infinity) {
        expect(r.status).toBe('unreachable');
        continue;
      }
      expect(r.status).toBe('found');
      expect(r.cost).toBeCloseTo(ref, 9);
      expect(walk(w, r)).toBeCloseTo(r.cost, 9);
      checked++;
    }
    expect(checked).toBe(6);
  });

  it('gives the same paths when searches are stepped in turns as when run one at a time', () => {
    const grids = [randomGrid('turns-a', 60, 50, 0.2), randomGrid('turns-b', 90, 30, 0.15), randomGrid('turns-c', 40, 70, 0.25)];
    const ends = grids.map((g) => {
      const from = { x: 1, y: 1 }, to = { x: g.w - 2, y: g.h - 2 };
      return { g, from, to };
    });
    const alone = ends.map(({ g, from, to }) => findPath(g, from, to, { margin: 4 }));
    const runs = ends.map(({ g, from, to }) => new AStarSearch(g, from, to, { margin: 4 }));
    while (runs.some((s) => !s.done)) for (const s of runs) s.step(7);
    expect(runs.map((s) => s.result)).toEqual(alone);
    expect(alone.filter((r) => r.status === 'found').length).toBeGreaterThan(1);
  });
});
