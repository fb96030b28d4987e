/** A box on screen, px. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** A name to place under (or beside) a body. */
export interface LabelRequest {
  readonly id: number;
  readonly text: string;
  /** The body's centre on screen and its radius, px. */
  readonly x: number;
  readonly y: number;
  readonly r: number;
  /** Lower first: 0 the own avatar, 1 the selected actor, 2 other players, 3 the rest. Ranks 0–1 are always placed. */
  readonly rank: number;
  /** Distance from the screen centre, px (ties within a rank go to the nearer). */
  readonly dist: number;
}

/** A placed name: where its text is centred. */
export interface PlacedLabel {
  readonly id: number;
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly box: Box;
}

/** Grid cell size for the box index, px. */
const CELL = 48;

/** Boxes indexed by grid cell, so a test for overlap reads only the boxes near it. */
class BoxGrid {
  private readonly cells = new Map<number, { box: Box; owner: number }[]>();

  add(box: Box, owner: number): void {
    this.each(box, (key) => {
      const list = this.cells.get(key);
      if (list) list.push({ box, owner });
      else this.cells.set(key, [{ box, owner }]);
    });
  }

  /** Whether `box` overlaps any box but those owned by `except`. */
  hits(box: Box, except: number): boolean {
    let hit = false;
    this.each(box, (key) => {
      if (hit) return;
      for (const b of this.cells.get(key) ?? []) {
        if (b.owner !== except && overlaps(b.box, box)) {
          hit = true;
          return;
        }
      }
    });
    return hit;
  }

  private each(box: Box, fn: (key: number) => void): void {
    const x0 = Math.floor(box.x / CELL), x1 = Math.floor((box.x + box.w) / CELL);
    const y0 = Math.floor(box.y / CELL), y1 = Math.floor((box.y + box.h) / CELL);
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) fn((y + 4096) * 8192 + (x + 4096));
  }
}

/**
 * Place names without overlap, greedily: the own avatar's and the selected actor's first (always), then other
 * players', then the rest nearest the screen centre first. Each tries below its body, above, right and left; a
 * name that fits nowhere clear of the names already placed, of the other bodies (with their health bars) and of
 * `blocked` is left out. `measure` gives a text's width in px; `h` is the line height.
 */
export function placeLabels(requests: readonly LabelRequest[], measure: (text: string) => number, h: number, blocked: readonly Box[] = []): PlacedLabel[] {
  const grid = new BoxGrid();
  const names = new BoxGrid();
  for (const b of blocked) {
    grid.add(b, -1);
    names.add(b, -1);
  }
  // Every body and its health bar, so names do not cover other creatures.
  for (const q of requests) grid.add({ x: q.x - q.r * 1.3, y: q.y - q.r - 10, w: q.r * 2.6, h: q.r * 2 + 10 }, q.id);
  const order = [...requests].sort((a, b) => a.rank - b.rank || a.dist - b.dist || a.id - b.id);
  const placed: PlacedLabel[] = [];
  for (const q of order) {
    const w = measure(q.text) + 4;
    const spots = [
      { x: q.x, y: q.y + q.r + h * 0.6 },
      { x: q.x, y: q.y - q.r - 10 - h * 0.6 },
      { x: q.x + q.r + w / 2 + 3, y: q.y },
      { x: q.x - q.r - w / 2 - 3, y: q.y },
    ];
    let chosen: { x: number; y: number; box: Box } | undefined;
    for (const s of spots) {
      const box = { x: s.x - w / 2, y: s.y - h / 2, w, h };
      if (!grid.hits(box, q.id)) {
        chosen = { ...s, box };
        break;
      }
    }
    if (!chosen && q.rank <= 1) {
      // Always shown: clear of the other names at least (over bodies if need be), stacked downward as a last resort.
      const s = spots[0] as { x: number; y: number };
      for (let k = 0; k < 12 && !chosen; k++) {
        for (const t of k === 0 ? spots : [{ x: s.x, y: s.y + k * h }]) {
          const box = { x: t.x - w / 2, y: t.y - h / 2, w, h };
          if (!names.hits(box, q.id)) {
            chosen = { ...t, box };
            break;
          }
        }
      }
      chosen ??= { ...s, box: { x: s.x - w / 2, y: s.y - h / 2, w, h } };
    }
    if (!chosen) continue;
    grid.add(chosen.box, -2);
    names.add(chosen.box, -2);
    placed.push({ id: q.id, text: q.text, x: chosen.x, y: chosen.y, box: chosen.box });
  }
  return placed;
}
