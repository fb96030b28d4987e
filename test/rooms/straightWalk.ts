import type { TerrainQuery } from '../../shared/index.ts';

/**
 * A point 8 tiles past a zone border in the first of `directions` that an avatar at `from` can walk to in a straight
 * (or slanting) line over `ground` (tests walk players across borders; water or rock in the way would stop them).
 */
export function straightWalk(ground: TerrainQuery, from: { x: number; y: number }, directions: readonly { x: number; y: number; border: number }[], slants: readonly number[] = [0, 4, -4, 8, -8, 12, -12]): { x: number; y: number } {
  // Straight across first, then slanting by `slants` tiles (the line may pass beside what blocks the straight one).
  for (const d of directions) for (const off of slants) {
    const to = d.x !== 0 ? { x: d.border + d.x * 8, y: from.y + off } : { x: from.x + off, y: d.border + d.y * 8 };
    const steps = Math.ceil(Math.hypot(to.x - from.x, to.y - from.y) * 2);
    let clear = true;
    for (let i = 0; i <= steps && clear; i++) {
      const x = from.x + ((to.x - from.x) * i) / steps, y = from.y + ((to.y - from.y) * i) / steps;
      for (const [ox, oy] of [[0, 0], [0.4, 0], [-0.4, 0], [0, 0.4], [0, -0.4]] as const) if (!ground.isWalkable(Math.floor(x + ox), Math.floor(y + oy))) clear = false;
    }
    if (clear) return to;
  }
  throw new Error(`no straight walk across a border from (${from.x}, ${from.y}) in this world; choose another seed`);
}
