import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWorldGen } from '../../procgen/index.ts';
import { parseRoomOptions } from '../../rooms/index.ts';
import { loadConfig } from '../../server/index.ts';
import { DEFAULT_SEED } from '../../shared/index.ts';
import { buildCli, packageVersion } from '../../tools/cli.ts';
import { previewRegion, renderWorldPreview } from '../../tools/commands/world.ts';
import { cli } from './runCli.ts';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

afterEach(() => {
  process.exitCode = 0;
});

/** Run the CLI capturing what commander writes to stdout (help and version go there, not to console.log). */
async function stdoutOf(...args: string[]): Promise<{ code: number; text: string }> {
  const chunks: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (chunks.push(String(c)), true));
  try {
    const r = await cli(...args);
    return { code: r.code, text: chunks.join('') + r.out };
  } finally {
    write.mockRestore();
  }
}

describe('lairmind --version', () => {
  it('prints the package version with --version and -v, and exits 0', async () => {
    expect(packageVersion()).toBe(pkg.version);
    for (const flag of ['--version', '-v']) {
      const r = await stdoutOf(flag);
      expect(r.code).toBe(0);
      expect(r.text.trim()).toBe(pkg.version);
    }
  });
});

describe('one default seed', () => {
  it('is the seed of the server config, its rooms, and every command that builds a world', () => {
    expect(loadConfig({}).SEED).toBe(DEFAULT_SEED);
    expect(parseRoomOptions({}).seed).toBe(DEFAULT_SEED);
    const program = buildCli();
    const seedDefault = (path: string[]): unknown => {
      let c = program;
      for (const name of path) c = c.commands.find((x) => x.name() === name)!;
      return c.options.find((o) => o.long === '--seed')?.defaultValue;
    };
    const saved = process.env.SEED;
    delete process.env.SEED;
    try {
      expect(seedDefault(['world', 'preview'])).toBe(DEFAULT_SEED);
      expect(seedDefault(['simulate'])).toBe(DEFAULT_SEED);
    } finally {
      if (saved !== undefined) process.env.SEED = saved;
    }
  });

  it('world preview without --seed draws the server\'s default world', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lairmind-seed-'));
    const out = join(dir, 'a.png');
    const r = await cli('world', 'preview', '--size', '64', '--no-legend', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`seed ${DEFAULT_SEED}`);
    const same = renderWorldPreview({ seed: DEFAULT_SEED, x: -32, y: -32, size: 64, legend: false });
    expect(PNG.sync.read(readFileSync(out)).data.equals(same.png.data)).toBe(true);
  });
});

describe('world preview centred like the server', () => {
  it('takes --x/--y as the centre: the region is the one the server spawns from', async () => {
    // The server's region of WORLD_SIZE s: tiles from -floor(s/2), s wide (rooms/WorldRoom.ts).
    expect(previewRegion(0, 0, 256)).toEqual({ x: -128, y: -128 });
    expect(previewRegion(0, 0, 255)).toEqual({ x: -127, y: -127 });
    expect(previewRegion(100, -40, 64)).toEqual({ x: 68, y: -72 });

    const dir = mkdtempSync(join(tmpdir(), 'lairmind-centre-'));
    const out = join(dir, 'c.png');
    const r = await cli('world', 'preview', '--seed', '42', '--x', '0', '--y', '0', '--size', '256', '--no-legend', '--out', out);
    expect(r.code).toBe(0);
    const gen = createWorldGen({ seed: 42 });
    const packs = gen.spawnsInRegion(-128, -128, 256, 256).length;
    const lairs = gen.lairsInRegion(-128, -128, 256, 256).length;
    expect(r.out).toContain(`tiles -128..127 × -128..127 (centred on 0, 0), ${lairs} lairs, ${packs} packs`);
    const centred = renderWorldPreview({ seed: 42, x: -128, y: -128, size: 256, legend: false });
    expect(PNG.sync.read(readFileSync(out)).data.equals(centred.png.data)).toBe(true);
    const corner = renderWorldPreview({ seed: 42, x: 0, y: 0, size: 256, legend: false });
    expect(corner.png.data.equals(centred.png.data)).toBe(false);
  });

  it('marks spawns and lair entrances with markers several pixels wide, and draws a legend', () => {
    const plain = renderWorldPreview({ seed: 42, x: -256, y: -256, size: 512, legend: false });
    expect(plain.lairs).toBeGreaterThan(0);
    // A wild pack member is a filled 3×3 square (outlined) at scale 1, not one pixel.
    const px = (x: number, y: number): number[] => [...plain.png.data.subarray((y * 512 + x) * 4, (y * 512 + x) * 4 + 3)];
    const gen = createWorldGen({ seed: 42 });
    const wild = gen.spawnsInRegion(-256, -256, 512, 512).find((p) => p.kind !== 'lair' && p.members.some((m) => Math.abs(m.tx) < 200 && Math.abs(m.ty) < 200))!;
    const m = wild.members.find((q) => Math.abs(q.tx) < 200 && Math.abs(q.ty) < 200)!;
    const [cx, cy] = [m.tx + 256, m.ty + 256];
    for (const [dx, dy] of [[-1, -1], [1, 1], [0, 0], [1, -1]] as const) {
      // Neighbours may be other members of the pack (red or outlined), never untouched ground.
      expect([[230, 20, 20], [0, 0, 0]]).toContainEqual(px(cx + dx, cy + dy));
    }
    // A lair entrance is a magenta ring at least 9 px across.
    const l = gen.lairsInRegion(-256, -256, 512, 512).find((q) => Math.abs(q.entrance.tx) < 240 && Math.abs(q.entrance.ty) < 240)!;
    const [ex, ey] = [l.entrance.tx + 256, l.entrance.ty + 256];
    const magenta = (x: number, y: number): boolean => px(x, y).join() === '255,0,255';
    expect(magenta(ex - 4, ey) && magenta(ex + 4, ey) && magenta(ex, ey - 4) && magenta(ex, ey + 4)).toBe(true);

    const withLegend = renderWorldPreview({ seed: 42, x: -256, y: -256, size: 512 });
    expect(withLegend.legendDrawn).toBe(true);
    expect(withLegend.legend.map((e) => e.label)).toEqual(expect.arrayContaining(['forest', 'deep water', 'lair entrance', 'wild pack', 'lair dwellers']));
    // The legend panel darkens the top-left corner and writes in near-white; the rest of the map is unchanged.
    let changedOutside = 0, white = 0;
    for (let y = 0; y < 512; y++) for (let x = 0; x < 512; x++) {
      const i = (y * 512 + x) * 4;
      const same = withLegend.png.data[i] === plain.png.data[i] && withLegend.png.data[i + 1] === plain.png.data[i + 1] && withLegend.png.data[i + 2] === plain.png.data[i + 2];
      if (x > 300 || y > 480) changedOutside += same ? 0 : 1;
      else if (withLegend.png.data[i] === 240 && withLegend.png.data[i + 1] === 240) white++;
    }
    expect(changedOutside).toBe(0);
    expect(white).toBeGreaterThan(500);
    // On a map too small for it, the legend is left off rather than covering the map.
    expect(renderWorldPreview({ seed: 42, x: -16, y: -16, size: 32 }).legendDrawn).toBe(false);
  });
});
