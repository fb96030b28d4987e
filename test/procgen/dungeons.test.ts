import { describe, expect, it } from 'vitest';
import { Cell, createWorldGen, generateDungeon } from '../../procgen/index.ts';
import type { TerrainQuery } from '../../shared/index.ts';
import { Rng } from '../../shared/index.ts';

/** Tiles reachable from `start` (4-connected walkable tiles inside `inside`). */
function flood(t: TerrainQuery, start: { x: number; y: number }, inside: (x: number, y: number) => boolean): Set<string> {
  const seen = new Set([`${start.x},${start.y}`]);
  const q = [start];
  while (q.length) {
    const p = q.pop()!;
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      const x = p.x + dx!, y = p.y + dy!, k = `${x},${y}`;
      if (seen.has(k) || !inside(x, y) || !t.isWalkable(x, y)) continue;
      seen.add(k);
      q.push({ x, y });
    }
  }
  return seen;
}

describe('dungeons', () => {
  it('every room of a generated layout is reachable from the entrance', () => {
    for (let s = 0; s < 200; s++) {
      const rng = Rng.create(`dungeon-${s}`);
      const w = rng.int(14, 40), h = rng.int(14, 40);
      const side = rng.pick(['north', 'south', 'west', 'east'] as const);
      const d = generateDungeon(rng.fork('gen'), { width: w, height: h, rooms: [2, 9], roomSize: [3, 7], entranceSide: side });
      const grid: TerrainQuery = {
        tileSize: 1,
        isWalkable: (x, y) => x >= 0 && y >= 0 && x < w && y < h && d.cells[y * w + x] !== Cell.rock,
        moveCost: (x, y) => (grid.isWalkable(x, y) ? 1 : Infinity),
      };
      const onBorder = d.entrance.x === 0 || d.entrance.y === 0 || d.entrance.x === w - 1 || d.entrance.y === h - 1;
      expect(onBorder).toBe(true);
      expect(d.cells[d.entrance.y * w + d.entrance.x]).toBe(Cell.door);
      const reach = flood(grid, d.entrance, () => true);
      expect(d.rooms.length).toBeGreaterThan(0);
      for (const r of d.rooms) expect(reach.has(`${r.x + (r.w >> 1)},${r.y + (r.h >> 1)}`), `seed ${s}`).toBe(true);
      // Rooms never overlap.
      for (const [i, a] of d.rooms.entries()) for (const b of d.rooms.slice(i + 1)) {
        expect(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y).toBe(true);
      }
    }
  });

  it('lairs in the world are carved into the TerrainQuery, every room reachable from the entrance', () => {
    let checked = 0;
    for (const seed of [42, 7, 'lairs']) {
      const w = createWorldGen({ seed });
      const lairs = w.lairsInRegion(-512, -512, 1024, 1024);
      expect(lairs.length).toBeGreaterThan(3);
      for (const l of lairs) {
        expect(l.kind === 'cave' ? ['mountains', 'hills'] : ['forest']).toContain(l.biome);
        const inLair = (x: number, y: number): boolean =>
          (x >= l.x0 && y >= l.y0 && x < l.x0 + l.layout.width && y < l.y0 + l.layout.height)
          || l.tunnel.some((t) => t.tx === x && t.ty === y);
        const e = { x: l.entrance.tx, y: l.entrance.ty };
        expect(w.tile(e.x, e.y).structure).toBe('door');
        const reach = flood(w, e, inLair);
        for (const r of l.rooms) {
          const c = { x: r.x + (r.w >> 1), y: r.y + (r.h >> 1) };
          expect(w.tile(c.x, c.y).structure).toBe('floor');
          expect(reach.has(`${c.x},${c.y}`), `${seed} ${l.id}`).toBe(true);
        }
        // The tunnel (if any) ends next to open ground.
        const end = l.tunnel.at(-1);
        if (end) expect(w.isWalkable(end.tx, end.ty)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('a lair is the same whichever chunk asks first', () => {
    const a = createWorldGen({ seed: 3 });
    const b = createWorldGen({ seed: 3 });
    const la = a.lairsInRegion(0, 0, 512, 512);
    // b generates chunks first (from the far side), then asks.
    for (let cy = 7; cy >= 0; cy--) for (let cx = 7; cx >= 0; cx--) b.chunk(cx, cy);
    expect(b.lairsInRegion(0, 0, 512, 512)).toEqual(la);
  });
});
