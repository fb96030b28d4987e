import type { TerrainQuery } from '../../../shared/index.ts';
import { Rng } from '../../../shared/index.ts';

/** A w × h grid of move costs (Infinity = wall); outside is unwalkable. */
export interface TestGrid extends TerrainQuery {
  readonly w: number;
  readonly h: number;
  readonly costs: Float64Array;
}

/** A random grid: `wallP` walls, the rest costs drawn from `picks` (by default 1..4, some fractional). */
export function randomGrid(seed: string, w: number, h: number, wallP = 0.25, picks: readonly number[] = [1, 1, 1, 1.5, 2, 3.25, 4]): TestGrid {
  const rng = Rng.create(seed);
  const costs = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) costs[i] = rng.chance(wallP) ? Infinity : rng.pick(picks);
  const moveCost = (x: number, y: number): number => (x < 0 || y < 0 || x >= w || y >= h ? Infinity : (costs[y * w + x] as number));
  return { w, h, costs, tileSize: 1, moveCost, isWalkable: (x, y) => moveCost(x, y) < Infinity };
}

const DIRS = [[1, 0], [0, 1], [-1, 0], [0, -1], [1, 1], [-1, 1], [-1, -1], [1, -1]] as const;

/** Reference Dijkstra (array scan, no heap) with the same cost rules as the path finders. */
export function dijkstra(g: TestGrid, from: { x: number; y: number }): Float64Array {
  const dist = new Float64Array(g.w * g.h).fill(Infinity);
  const done = new Uint8Array(g.w * g.h);
  dist[from.y * g.w + from.x] = 0;
  for (;;) {
    let best = -1;
    for (let i = 0; i < dist.length; i++) if (!done[i] && dist[i]! < Infinity && (best < 0 || dist[i]! < dist[best]!)) best = i;
    if (best < 0) return dist;
    done[best] = 1;
    const x = best % g.w, y = Math.floor(best / g.w);
    for (const [dx, dy] of DIRS) {
      const nx = x + dx, ny = y + dy;
      const c = g.moveCost(nx, ny);
      if (!(c < Infinity)) continue;
      if (dx !== 0 && dy !== 0 && !(g.isWalkable(x + dx, y) && g.isWalkable(x, y + dy))) continue;
      const nd = dist[best]! + (dx !== 0 && dy !== 0 ? Math.SQRT2 : 1) * c;
      if (nd < dist[ny * g.w + nx]!) dist[ny * g.w + nx] = nd;
    }
  }
}
