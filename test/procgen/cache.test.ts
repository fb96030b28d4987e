import { describe, expect, it } from 'vitest';
import { createWorldGen } from '../../procgen/index.ts';

describe('chunk cache', () => {
  it('generates lazily, hits afterwards, and keeps at most maxChunks (LRU)', () => {
    const w = createWorldGen({ seed: 1, cache: { maxChunks: 3 } });
    expect(w.cacheStats().chunks).toBe(0);
    w.isWalkable(10, 10);
    expect(w.cacheStats()).toMatchObject({ chunks: 1, misses: 1 });
    w.isWalkable(12, 10);
    w.chunk(0, 0);
    expect(w.cacheStats().misses).toBe(1);
    w.chunk(1, 0); w.chunk(2, 0);
    w.chunk(0, 0); // (0,0) is now the most recently used
    w.chunk(3, 0); // evicts (1,0)
    expect(w.cacheStats()).toMatchObject({ chunks: 3, evicted: 1 });
    const misses = w.cacheStats().misses;
    w.chunk(0, 0);
    expect(w.cacheStats().misses).toBe(misses);
    w.chunk(1, 0);
    expect(w.cacheStats().misses).toBe(misses + 1);
  });

  it('evictUnused drops chunks far from every point of interest', () => {
    const w = createWorldGen({ seed: 1 });
    for (let cy = -2; cy <= 2; cy++) for (let cx = -2; cx <= 2; cx++) w.chunk(cx, cy);
    expect(w.cacheStats().chunks).toBe(25);
    const dropped = w.evictUnused([{ x: 32, y: 32 }], 40);
    expect(dropped).toBe(16);
    expect(w.cacheStats().chunks).toBe(9);
    expect(w.evictUnused([], 0)).toBe(9);
    expect(w.isWalkable(32, 32)).toBe(w.tile(32, 32).walkable);
  });

  it('treats non-finite coordinates as unwalkable and rejects absurd ones', () => {
    const w = createWorldGen({ seed: 1 });
    expect(w.isWalkable(NaN, 0)).toBe(false);
    expect(w.moveCost(0, Infinity)).toBe(Infinity);
    expect(() => w.chunk(2 ** 30, 0)).toThrow(RangeError);
  });
});
