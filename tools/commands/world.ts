import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PNG } from 'pngjs';
import { parse as parseYaml } from 'yaml';
import { BIOMES, Feature, Structure, createWorldGen } from '../../procgen/index.ts';

/** Options of {@link renderWorldPreview}; coordinates and size in tiles. */
export interface WorldPreviewOptions {
  readonly seed: string | number;
  /** Top-left tile of the region. */
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
}

/** What a preview contains. */
export interface WorldPreview {
  readonly png: PNG;
  readonly lairs: number;
  readonly packs: number;
}

const FEATURE_TINT: Record<number, [number, number, number] | undefined> = {
  [Feature.tree]: [28, 78, 34], [Feature.rock]: [96, 92, 88], [Feature.ruin]: [150, 120, 96],
};
const STRUCTURE_COLOR: Record<number, [number, number, number] | undefined> = {
  [Structure.floor]: [196, 184, 160], [Structure.wall]: [52, 46, 44], [Structure.door]: [170, 100, 40],
};

/**
 * Render a region of a world: biome colours shaded by height, features, lair structures; lair entrances
 * in magenta, wild pack members in red, lair dwellers in orange.
 */
export function renderWorldPreview(o: WorldPreviewOptions): WorldPreview {
  const scale = o.scale ?? 1;
  const world = createWorldGen({ ...o.params, seed: o.seed, cache: { maxChunks: 4096 } }, { species: o.species });
  const png = new PNG({ width: o.size * scale, height: o.size * scale });
  const put = (tx: number, ty: number, rgb: readonly [number, number, number]): void => {
    const lx = tx - o.x, ly = ty - o.y;
    if (lx < 0 || ly < 0 || lx >= o.size || ly >= o.size) return;
    for (let py = 0; py < scale; py++) for (let px = 0; px < scale; px++) {
      const i = ((ly * scale + py) * png.width + lx * scale + px) * 4;
      png.data[i] = rgb[0]; png.data[i + 1] = rgb[1]; png.data[i + 2] = rgb[2]; png.data[i + 3] = 255;
    }
  };
  const S = world.chunkSize;
  for (let cy = Math.floor(o.y / S); cy <= Math.floor((o.y + o.size - 1) / S); cy++) {
    for (let cx = Math.floor(o.x / S); cx <= Math.floor((o.x + o.size - 1) / S); cx++) {
      const c = world.chunk(cx, cy);
      for (let i = 0; i < S * S; i++) {
        const tx = c.x0 + (i % S), ty = c.y0 + Math.floor(i / S);
        const base = (BIOMES[c.biome[i] as number] as (typeof BIOMES)[number]).color;
        const shade = 0.8 + 0.4 * (c.height[i] as number);
        let rgb: [number, number, number] = [base[0] * shade, base[1] * shade, base[2] * shade].map((v) => Math.min(255, Math.round(v))) as [number, number, number];
        rgb = FEATURE_TINT[c.feature[i] as number] ?? rgb;
        rgb = STRUCTURE_COLOR[c.structure[i] as number] ?? rgb;
        put(tx, ty, rgb);
      }
    }
  }
  const lairs = world.lairsInRegion(o.x, o.y, o.size, o.size);
  for (const l of lairs) put(l.entrance.tx, l.entrance.ty, [255, 0, 255]);
  const packs = world.spawnsInRegion(o.x, o.y, o.size, o.size);
  for (const p of packs) for (const m of p.members) put(m.tx, m.ty, p.kind === 'lair' ? [255, 150, 0] : [230, 20, 20]);
  return { png, lairs: lairs.length, packs: packs.length };
}

function readData(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
}

const int = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got "${v}"`);
  return n;
};

/** Register `lairmind world preview`. */
export function registerWorld(program: Command): void {
  const world = program.command('world').description('Procedural worlds: inspect what a seed generates');
  world
    .command('preview')
    .description('Write a PNG of a region: biomes coloured, lairs and spawns marked')
    .option('--seed <seed>', 'world seed', '42')
    .option('--x <tiles>', 'left tile of the region', int('x'), 0)
    .option('--y <tiles>', 'top tile of the region', int('y'), 0)
    .option('--size <tiles>', 'side of the region in tiles (1..4096)', int('size'), 256)
    .option('--scale <px>', 'pixels per tile (1..16)', int('scale'), 1)
    .option('--params <file>', 'world parameters (YAML or JSON)')
    .option('--species <file>', 'species table (YAML or JSON)')
    .option('--out <file>', 'output PNG', 'map.png')
    .action((opts: { seed: string; x: number; y: number; size: number; scale: number; params?: string; species?: string; out: string }) => {
      if (opts.size < 1 || opts.size > 4096) throw new Error(`--size must be 1..4096, got ${opts.size}`);
      if (opts.scale < 1 || opts.scale > 16) throw new Error(`--scale must be 1..16, got ${opts.scale}`);
      const params = opts.params ? readData(opts.params) : {};
      if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new Error(`${opts.params}: world parameters must be a mapping`);
      const seed = /^-?\d+$/.test(opts.seed) && Number.isSafeInteger(Number(opts.seed)) ? Number(opts.seed) : opts.seed;
      const r = renderWorldPreview({
        seed, x: opts.x, y: opts.y, size: opts.size, scale: opts.scale,
        params: params as Record<string, unknown>,
        species: opts.species ? readData(opts.species) : undefined,
      });
      writeFileSync(opts.out, PNG.sync.write(r.png));
      console.log(`wrote ${opts.out}: ${r.png.width}×${r.png.height} px, ${r.lairs} lairs, ${r.packs} packs`);
    });
}
