/** A square cell of the world that clients share one view of: x in [cx·size, (cx+1)·size), likewise y. */
export interface ViewCell {
  readonly cx: number;
  readonly cy: number;
  readonly size: number;
  /** `cx,cy`, for maps. */
  readonly key: string;
}

/** The cell of side `size` that holds (x, y). */
export function cellAt(x: number, y: number, size: number): ViewCell {
  if (!(size > 0)) throw new RangeError(`cellAt: size must be > 0, got ${size}`);
  const cx = Math.floor(x / size), cy = Math.floor(y / size);
  return { cx, cy, size, key: `${cx},${cy}` };
}

/** Distance from (x, y) to the cell's square (0 inside it). */
export function cellDistance(cell: ViewCell, x: number, y: number): number {
  const x0 = cell.cx * cell.size, y0 = cell.cy * cell.size;
  const dx = Math.max(x0 - x, 0, x - (x0 + cell.size));
  const dy = Math.max(y0 - y, 0, y - (y0 + cell.size));
  return Math.sqrt(dx * dx + dy * dy);
}

/** The cell's centre and the radius of the circle through its corners. */
export function cellCircle(cell: ViewCell): { x: number; y: number; r: number } {
  return { x: (cell.cx + 0.5) * cell.size, y: (cell.cy + 0.5) * cell.size, r: cell.size * Math.SQRT1_2 };
}
