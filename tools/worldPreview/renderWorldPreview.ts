import { PNG } from 'pngjs';
import { BIOMES, Feature, Structure, createWorldGen } from '../../procgen/index.ts';
import { drawEntrance, drawMember, MARKER, markerSizes } from './markers.ts';
import { drawLegend, words } from './previewLegend.ts';
import type { LegendEntry } from './previewLegend.ts';

type Rgb = readonly [number, number, number];

/** Options of {@link renderWorldPreview}; coordinates and size in tiles. */
export interface WorldPreviewOptions {
  readonly seed: string | number;
  /** Top-left tile of the region (see {@link previewRegion} for a region given by its centre). */
  readonly x: number;
  readonly y: number;
  /** Side of the square region in tiles. */
  readonly size: number;
  /** Pixels per tile (default 1). */
  readonly scale?: number;
  /** Extra world parameters (merged under `seed`). */
  readonly params?: Record<string, unknown>;
  /** A species table as data (default: the built-in table). */
  readonly species?: unknown;
  /** Draw the legend in the top-left corner when it fits (default true). */
  readonly legend?: boolean;
}

/** What a preview contains. */
export interface WorldPreview {
  readonly png: PNG;
  readonly lairs: number;
  readonly packs: number;
  /** What the map shows (biomes, features and lair structures present, then the markers). */
  readonly legend: readonly LegendEntry[];
  /** Whether the legend was drawn on the image (it is left off when it would cover most of a small map). */
  readonly legendDrawn: boolean;
}

/**
 * The top-left tile of the square region of side `size` centred on tile (cx, cy), the way the server lays out a
 * room's region: centred on (0, 0), from -⌊size/2⌋.
 */
export function previewRegion(cx: number, cy: number, size: number): { x: number; y: number } {
  const half = Math.floor(size / 2);
  return { x: cx - half, y: cy - half };
}

const FEATURE_TINT: Record<number, Rgb | undefined> = {
  [Feature.tree]: [28, 78, 34], [Feature.rock]: [96, 92, 88], [Feature.ruin]: [150, 120, 96],
};
const STRUCTURE_COLOR: Record<number, Rgb | undefined> = {
  [Structure.floor]: [196, 184, 160], [Structure.wall]: [52, 46, 44], [Structure.door]: [170, 100, 40],
};
const FEATURE_LABEL: Record<number, string> = { [Feature.tree]: 'tree', [Feature.rock]: 'rock', [Feature.ruin]: 'ruin' };
const STRUCTURE_LABEL: Record<number, string> = { [Structure.floor]: 'lair floor', [Structure.wall]: 'lair wall', [Structure.door]: 'lair door' };

/**
 * Render a region of a world: biome colours shaded by height, features, lair structures; markers several pixels
 * wide, outlined in black: lair entrances as magenta rings, wild pack members in red, lair dwellers in orange; and a
 * legend of what the map shows.
 */
export function renderWorldPreview(o: WorldPreviewOptions): WorldPreview {
  const scale = o.scale ?? 1;
  const world = createWorldGen({ ...o.params, seed: o.seed, cache: { maxChunks: 4096 } }, { species: o.species });
  const png = new PNG({ width: o.size * scale, height: o.size * scale });
  const biomes = new Set<number>();
  const features = new Set<number>();
  const structures = new Set<number>();
  const put = (tx: number, ty: number, rgb: Rgb): void => {
    const lx = tx - o.x, ly = ty - o.y;
    if (lx < 0 || ly < 0 || lx >= o.size || ly >= o.size) return;
    for (let py = 0; py < scale; py++) for (let px = 0; px < scale; px++) {
      const i = ((ly * scale + py) * png.width + lx * scale + px) * 4;
      png.data[i] = rgb[0]; png.data[i + 1] = rgb[1]; png.data[i + 2] = rgb[2]; png.data[i + 3] = 255;
    }
  };
  const inside = (tx: number, ty: number): boolean => tx >= o.x && ty >= o.y && tx < o.x + o.size && ty < o.y + o.size;
  const S = world.chunkSize;
  for (let cy = Math.floor(o.y / S); cy <= Math.floor((o.y + o.size - 1) / S); cy++) {
    for (let cx = Math.floor(o.x / S); cx <= Math.floor((o.x + o.size - 1) / S); cx++) {
      const c = world.chunk(cx, cy);
      for (let i = 0; i < S * S; i++) {
        const tx = c.x0 + (i % S), ty = c.y0 + Math.floor(i / S);
        if (!inside(tx, ty)) continue;
        const b = c.biome[i] as number, f = c.feature[i] as number, s = c.structure[i] as number;
        const base = (BIOMES[b] as (typeof BIOMES)[number]).color;
        const shade = 0.8 + 0.4 * (c.height[i] as number);
        let rgb: Rgb = [base[0] * shade, base[1] * shade, base[2] * shade].map((v) => Math.min(255, Math.round(v))) as unknown as Rgb;
        if (STRUCTURE_COLOR[s]) structures.add(s);
        else if (FEATURE_TINT[f]) features.add(f);
        else biomes.add(b);
        rgb = FEATURE_TINT[f] ?? rgb;
        rgb = STRUCTURE_COLOR[s] ?? rgb;
        put(tx, ty, rgb);
      }
    }
  }
  const sizes = markerSizes(scale);
  const centre = (t: number, o0: number): number => (t - o0) * scale + Math.floor(scale / 2);
  const packs = world.spawnsInRegion(o.x, o.y, o.size, o.size);
  let wild = false, dwellers = false;
  for (const p of packs) {
    for (const m of p.members) {
      if (!inside(m.tx, m.ty)) continue;
      if (p.kind === 'lair') dwellers = true;
      else wild = true;
      drawMember(png, centre(m.tx, o.x), centre(m.ty, o.y), sizes.member, p.kind === 'lair' ? MARKER.lair : MARKER.wild);
    }
  }
  const lairs = world.lairsInRegion(o.x, o.y, o.size, o.size);
  for (const l of lairs) drawEntrance(png, centre(l.entrance.tx, o.x), centre(l.entrance.ty, o.y), sizes.entrance, sizes.thickness);

  const legend: LegendEntry[] = [
    ...[...biomes].sort((a, b) => a - b).map((b): LegendEntry => ({ label: words((BIOMES[b] as (typeof BIOMES)[number]).name), mark: 'swatch', rgb: (BIOMES[b] as (typeof BIOMES)[number]).color })),
    ...[...features].sort((a, b) => a - b).map((f): LegendEntry => ({ label: FEATURE_LABEL[f] ?? 'feature', mark: 'swatch', rgb: FEATURE_TINT[f] as Rgb })),
    ...[...structures].sort((a, b) => a - b).map((s): LegendEntry => ({ label: STRUCTURE_LABEL[s] ?? 'structure', mark: 'swatch', rgb: STRUCTURE_COLOR[s] as Rgb })),
    ...(lairs.length ? [{ label: 'lair entrance', mark: 'entrance', rgb: MARKER.entrance } as const] : []),
    ...(wild ? [{ label: 'wild pack', mark: 'wild', rgb: MARKER.wild } as const] : []),
    ...(dwellers ? [{ label: 'lair dwellers', mark: 'lair', rgb: MARKER.lair } as const] : []),
  ];
  const legendDrawn = o.legend !== false && drawLegend(png, legend);
  return { png, lairs: lairs.length, packs: packs.length, legend, legendDrawn };
}
