import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PNG } from 'pngjs';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_SEED } from '../../shared/index.ts';
import { previewRegion, renderWorldPreview } from '../worldPreview/renderWorldPreview.ts';

export { previewRegion, renderWorldPreview } from '../worldPreview/renderWorldPreview.ts';
export type { WorldPreview, WorldPreviewOptions } from '../worldPreview/renderWorldPreview.ts';

function readData(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
}

const int = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got "${v}"`);
  return n;
};

const hex = (rgb: readonly number[]): string => `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

interface PreviewFlags { seed: string; x: number; y: number; size: number; scale: number; params?: string; species?: string; out: string; legend: boolean }

/** Register `lairmind world preview`. */
export function registerWorld(program: Command): void {
  const world = program.command('world').description('Procedural worlds: inspect what a seed generates');
  world
    .command('preview')
    .description("Write a PNG of a region centred on (--x, --y) like the server's (centred on 0, 0): biomes coloured, lairs and spawns marked, with a legend")
    .option('--seed <seed>', 'world seed (the server\'s default when omitted)', DEFAULT_SEED)
    .option('--x <tile>', 'centre tile of the region, x', int('x'), 0)
    .option('--y <tile>', 'centre tile of the region, y', int('y'), 0)
    .option('--size <tiles>', 'side of the region in tiles (1..4096)', int('size'), 256)
    .option('--scale <px>', 'pixels per tile (1..16)', int('scale'), 1)
    .option('--params <file>', 'world parameters (YAML or JSON)')
    .option('--species <file>', 'species table (YAML or JSON)')
    .option('--no-legend', 'leave the legend off the image')
    .option('--out <file>', 'output PNG', 'map.png')
    .action((opts: PreviewFlags) => {
      if (opts.size < 1 || opts.size > 4096) throw new Error(`--size must be 1..4096, got ${opts.size}`);
      if (opts.scale < 1 || opts.scale > 16) throw new Error(`--scale must be 1..16, got ${opts.scale}`);
      const params = opts.params ? readData(opts.params) : {};
      if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new Error(`${opts.params}: world parameters must be a mapping`);
      const seed = /^-?\d+$/.test(opts.seed) && Number.isSafeInteger(Number(opts.seed)) ? Number(opts.seed) : opts.seed;
      const corner = previewRegion(opts.x, opts.y, opts.size);
      const r = renderWorldPreview({
        seed, ...corner, size: opts.size, scale: opts.scale, legend: opts.legend,
        params: params as Record<string, unknown>,
        species: opts.species ? readData(opts.species) : undefined,
      });
      writeFileSync(opts.out, PNG.sync.write(r.png));
      const x1 = corner.x + opts.size - 1, y1 = corner.y + opts.size - 1;
      console.log(`wrote ${opts.out}: ${r.png.width}×${r.png.height} px, seed ${String(seed)}, tiles ${corner.x}..${x1} × ${corner.y}..${y1} (centred on ${opts.x}, ${opts.y}), ${r.lairs} lairs, ${r.packs} packs`);
      const note = !opts.legend ? ' (not drawn: --no-legend)' : r.legendDrawn ? '' : ' (not drawn: the map is too small for it)';
      console.log(`legend${note}: ${r.legend.map((e) => `${e.label} ${e.mark === 'swatch' ? hex(e.rgb) : e.mark === 'entrance' ? `${hex(e.rgb)} ring` : `${hex(e.rgb)} square`}`).join(', ')}`);
    });
}
