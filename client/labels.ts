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

/**
 * Place names without overlap, greedily: the own avatar's and the selected actor's first (always), then other
 * players', then the rest nearest the screen centre first. Each tries below its body, above, right and left; a
 * name that fits nowhere free of the names already placed (and of `blocked`, e.g. bubbles) is left out.
 * `measure` gives a text's width in px; `h` is the line height.
 */
export function placeLabels(requests: readonly LabelRequest[], measure: (text: string) => number, h: number, blocked: readonly Box[] = []): PlacedLabel[] {
  const order = [...requests].sort((a, b) => a.rank - b.rank || a.dist - b.dist || a.id - b.id);
  const placed: PlacedLabel[] = [];
  const boxes: Box[] = [...blocked];
  for (const q of order) {
    const w = measure(q.text) + 4;
    const spots = [
      { x: q.x, y: q.y + q.r + h * 0.75 },
      { x: q.x, y: q.y - q.r - h * 1.6 },
      { x: q.x + q.r + w / 2 + 3, y: q.y },
      { x: q.x - q.r - w / 2 - 3, y: q.y },
    ];
    let chosen: { x: number; y: number; box: Box } | undefined;
    for (const s of spots) {
      const box = { x: s.x - w / 2, y: s.y - h / 2, w, h };
      if (!boxes.some((b) => overlaps(b, box))) {
        chosen = { ...s, box };
        break;
      }
    }
    if (!chosen && q.rank <= 1) {
      const s = spots[0] as { x: number; y: number };
      chosen = { ...s, box: { x: s.x - w / 2, y: s.y - h / 2, w, h } };
    }
    if (!chosen) continue;
    boxes.push(chosen.box);
    placed.push({ id: q.id, text: q.text, x: chosen.x, y: chosen.y, box: chosen.box });
  }
  return placed;
}
