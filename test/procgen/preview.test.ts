import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { PNG } from 'pngjs';
import { describe, expect, it, vi } from 'vitest';
import { registerWorld, renderWorldPreview } from '../../tools/commands/world.ts';

describe('world preview', () => {
  it('writes a PNG of the expected size', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lairmind-preview-')), 'map.png');
    const program = new Command('lairmind').exitOverride();
    registerWorld(program);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await program.parseAsync(['world', 'preview', '--seed', '42', '--x', '-64', '--y', '0', '--size', '96', '--scale', '2', '--out', out], { from: 'user' });
    log.mockRestore();
    const png = PNG.sync.read(readFileSync(out));
    expect(png.width).toBe(192);
    expect(png.height).toBe(192);
  });

  it('marks lairs and spawns', () => {
    const r = renderWorldPreview({ seed: 42, x: -128, y: -128, size: 256 });
    expect(r.png.width).toBe(256);
    expect(r.lairs).toBeGreaterThan(0);
    expect(r.packs).toBeGreaterThan(0);
    let red = 0;
    for (let i = 0; i < r.png.data.length; i += 4) if (r.png.data[i] === 230 && r.png.data[i + 1] === 20) red++;
    expect(red).toBeGreaterThan(0);
  });
});
