import { describe, expect, it } from 'vitest';
import { PathBudget, buildFlowField, findPath } from '../../../actors/pathing/index.ts';
import { Rng } from '../../../shared/index.ts';
import { randomGrid } from './randomGrid.ts';

describe('PathBudget', () => {
  it('never expands more than the per-tick budget, serves FIFO, and gives A*\'s answers', () => {
    const g = randomGrid('swarm', 120, 120, 0.15);
    const budget = new PathBudget(g, { expansionsPerTick: 500, astar: { margin: 8 } });
    const rng = Rng.create('requests');
    const reqs = Array.from({ length: 60 }, () => ({
      from: { x: rng.int(0, 119), y: rng.int(0, 119) }, to: { x: rng.int(0, 119), y: rng.int(0, 119) },
    }));
    const ids = reqs.map((r) => budget.requestPath(r.from, r.to));
    const flowId = budget.requestFlowField({ x: 60, y: 60 }, { x0: 30, y0: 30, w: 60, h: 60 });
    expect(budget.pending).toBe(61);
    const finished: number[] = [];
    let ticks = 0;
    const results = new Map<number, unknown>();
    while (budget.pending > 0) {
      const done = budget.tick();
      ticks++;
      expect(budget.lastTickExpansions).toBeLessThanOrEqual(500);
      for (const d of done) { finished.push(d.id); results.set(d.id, d.kind === 'path' ? d.result : d.field); }
      expect(ticks).toBeLessThan(10_000);
    }
    expect(ticks).toBeGreaterThan(5);
    expect(finished).toEqual([...ids, flowId]);
    reqs.forEach((r, i) => expect(results.get(ids[i]!)).toEqual(findPath(g, r.from, r.to, { margin: 8 })));
    expect(results.get(flowId)).toEqual(buildFlowField(g, { x: 60, y: 60 }, { x0: 30, y0: 30, w: 60, h: 60 }));
  });

  it('carries a long search across ticks and supports cancel', () => {
    const g = randomGrid('long', 300, 300, 0.05);
    const budget = new PathBudget(g, { expansionsPerTick: 100 });
    const a = budget.requestPath({ x: 0, y: 0 }, { x: 290, y: 295 });
    const b = budget.requestPath({ x: 5, y: 5 }, { x: 6, y: 6 });
    expect(budget.cancel(b)).toBe(true);
    expect(budget.cancel(b)).toBe(false);
    let done: ReturnType<PathBudget['tick']> = [];
    let ticks = 0;
    while (done.length === 0) { done = budget.tick(); ticks++; }
    expect(done[0]!.id).toBe(a);
    expect(done[0]!.ticks).toBe(ticks);
    expect(ticks).toBeGreaterThan(2);
    expect(budget.pending).toBe(0);
    expect(budget.tick()).toEqual([]);
    expect(() => new PathBudget(g, { expansionsPerTick: 0 })).toThrow(RangeError);
  });
});
