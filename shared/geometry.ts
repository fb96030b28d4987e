/** Squared distance between two points, in world units². */
export function dist2(ax: number, ay: number, bx: number, by: number): number {
  const dx = ax - bx;
  const dy = ay - by;
  return dx * dx + dy * dy;
}

/** Distance between two points, in world units. */
export function dist(ax: number, ay: number, bx: number, by: number): number {
  return Math.sqrt(dist2(ax, ay, bx, by));
}

/** Clamp `v` into [lo, hi]. */
export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Heading in radians (0 = +x, counter-clockwise) of the vector (dx, dy). */
export function headingOf(dx: number, dy: number): number {
  return Math.atan2(dy, dx);
}
