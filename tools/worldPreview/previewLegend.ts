import type { PNG } from 'pngjs';
import { drawEntrance, drawMember, MARKER } from './markers.ts';
import { ADVANCE, drawText, fillRect, GLYPH_H, textWidth } from './pixelFont.ts';

type Rgb = readonly [number, number, number];

/** One line of the legend: a colour swatch, or one of the map's markers. */
export interface LegendEntry {
  readonly label: string;
  readonly mark: 'swatch' | 'wild' | 'lair' | 'entrance';
  readonly rgb: Rgb;
}

/** `deepWater` → `deep water`. */
export const words = (name: string): string => name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

const PAD = 4;

/** Font scale of the legend for an image: larger text on larger maps. */
export const legendScale = (png: PNG): number => (Math.min(png.width, png.height) >= 768 ? 2 : 1);

/** Size in pixels of the legend panel for these entries at font scale `s`. */
export function legendSize(entries: readonly LegendEntry[], s: number): { w: number; h: number } {
  const row = (GLYPH_H + 4) * s;
  const swatch = GLYPH_H * s + 2;
  const text = Math.max(...entries.map((e) => textWidth(e.label, s)), textWidth('legend', s));
  return { w: PAD * 2 + swatch + ADVANCE * s + text, h: PAD * 2 + row * (entries.length + 1) };
}

/**
 * Draw the legend in the map's top-left corner on a dark panel: a title, then each entry's swatch or marker and
 * its name. Returns false (drawing nothing) when the panel would cover most of the map.
 */
export function drawLegend(png: PNG, entries: readonly LegendEntry[]): boolean {
  const s = legendScale(png);
  const { w, h } = legendSize(entries, s);
  if (entries.length === 0 || w > png.width * 0.6 || h > png.height * 0.95) return false;
  fillRect(png, 0, 0, w, h, [16, 16, 20], 0.8);
  const row = (GLYPH_H + 4) * s;
  const swatch = GLYPH_H * s + 2;
  const white: Rgb = [240, 240, 240];
  drawText(png, 'legend', PAD, PAD, s, white);
  entries.forEach((e, i) => {
    const y = PAD + row * (i + 1);
    const cx = PAD + Math.floor(swatch / 2);
    const cy = y + Math.floor((GLYPH_H * s) / 2);
    if (e.mark === 'swatch') fillRect(png, PAD, y - 1, swatch, swatch, e.rgb);
    else if (e.mark === 'entrance') drawEntrance(png, cx, cy, Math.floor(swatch / 2) - 1, Math.max(1, s));
    else drawMember(png, cx, cy, Math.max(1, s), e.mark === 'wild' ? MARKER.wild : MARKER.lair);
    drawText(png, e.label, PAD + swatch + ADVANCE * s, y, s, white);
  });
  return true;
}
