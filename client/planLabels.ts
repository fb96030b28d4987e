/**
 * Placing the plan overlay's labels so that none covers another in a fight: greedy, in order of importance (pack
 * titles first, then members' roles), each label at its anchor if free, else at the nearest free spot among a ring of
 * candidates around it (it then gets a leader line back to its anchor). A label with no free spot within reach is
 * left out; the plan list says the same in full.
 */

import { overlaps } from './labels.ts';
import type { Box } from './labels.ts';

export type { Box };
export { overlaps };

/** A label to place: its text and where it belongs on screen (the centre of its baseline). */
export interface LabelRequest {
  readonly text: string;
  readonly colour: string;
  readonly title: boolean;
  readonly anchor: { readonly x: number; readonly y: number };
}

/** A placed label: where its baseline centre went, its box, and whether it moved off its anchor. */
export interface PlacedLabel extends LabelRequest {
  readonly x: number;
  readonly y: number;
  readonly box: Box;
  readonly moved: boolean;
}

/** Line height of titles and of role labels, px. */
const TITLE_H = 16;
const LABEL_H = 13;
/** Gap kept between labels, px. */
const GAP = 2;
/** Rings of candidate spots tried around the anchor, and how far apart they are. */
const RINGS = 6;

/** The candidate offsets around an anchor, nearest first: above and below before the sides. */
function candidates(w: number, h: number): { dx: number; dy: number }[] {
  const out = [{ dx: 0, dy: 0 }];
  for (let r = 1; r <= RINGS; r++) {
    const up = r * (h + GAP);
    out.push({ dx: 0, dy: -up }, { dx: 0, dy: up });
    for (const s of [-1, 1]) out.push({ dx: s * (w / 2 + GAP) * Math.min(r, 2), dy: s === -1 ? -up / 2 : up / 2 }, { dx: s * (w + GAP) * Math.ceil(r / 2), dy: 0 });
  }
  return out;
}

/**
 * Place `labels` (titles first, then in the order given) so that no two boxes overlap, nor a box overlap `avoid`
 * (e.g. speech bubbles). `measure` gives a text's width in px.
 */
export function placeLabels(labels: readonly LabelRequest[], measure: (text: string, title: boolean) => number, avoid: readonly Box[] = []): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  const taken: Box[] = [...avoid];
  const ordered = [...labels.filter((l) => l.title), ...labels.filter((l) => !l.title)];
  for (const l of ordered) {
    const w = measure(l.text, l.title) + 4;
    const h = l.title ? TITLE_H : LABEL_H;
    for (const c of candidates(w, h)) {
      const x = l.anchor.x + c.dx, y = l.anchor.y + c.dy;
      // The baseline sits 3/4 down the box.
      const box = { x: x - w / 2, y: y - h * 0.75, w, h };
      if (taken.some((b) => overlaps(b, box))) continue;
      taken.push(box);
      placed.push({ ...l, x, y, box, moved: c.dx !== 0 || c.dy !== 0 });
      break;
    }
  }
  return placed;
}
