import type { PNG } from 'pngjs';
import { fillRect } from './pixelFont.ts';

type Rgb = readonly [number, number, number];
const OUTLINE: Rgb = [0, 0, 0];

/** Marker colours of the world preview. */
export const MARKER = {
  wild: [230, 20, 20] as Rgb,
  lair: [255, 150, 0] as Rgb,
  entrance: [255, 0, 255] as Rgb,
} as const;

/** A pack member: a filled square of half-side `r` around (cx, cy), outlined in black so it shows on any ground. */
export function drawMember(png: PNG, cx: number, cy: number, r: number, rgb: Rgb): void {
  fillRect(png, cx - r - 1, cy - r - 1, 2 * r + 3, 2 * r + 3, OUTLINE);
  fillRect(png, cx - r, cy - r, 2 * r + 1, 2 * r + 1, rgb);
}

/** A lair entrance: a square ring of half-side `r` and thickness `t` around (cx, cy), outlined inside and out. */
export function drawEntrance(png: PNG, cx: number, cy: number, r: number, t: number): void {
  const ring = (half: number, thick: number, rgb: Rgb): void => {
    const s = 2 * half + 1;
    fillRect(png, cx - half, cy - half, s, thick, rgb);
    fillRect(png, cx - half, cy + half - thick + 1, s, thick, rgb);
    fillRect(png, cx - half, cy - half, thick, s, rgb);
    fillRect(png, cx + half - thick + 1, cy - half, thick, s, rgb);
  };
  ring(r + 1, t + 2, OUTLINE);
  ring(r, t, MARKER.entrance);
}

/** Marker sizes for a map drawn at `scale` pixels per tile: member half-side, entrance half-side and thickness. */
export function markerSizes(scale: number): { member: number; entrance: number; thickness: number } {
  return { member: Math.max(1, Math.floor(scale / 2)), entrance: Math.max(4, scale * 2), thickness: Math.max(2, Math.ceil(scale / 2)) };
}
