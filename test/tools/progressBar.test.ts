import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../tools/train/progressBar.ts';

function fake(isTTY: boolean): { out: string[]; stream: { write(s: string): boolean; isTTY: boolean } } {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => out.push(s) > 0 } };
}

describe('progress bar', () => {
  it('in a log prints one line per 10 % with k/N, stage, elapsed, ETA, fitness and win rate', () => {
    const { out, stream } = fake(false);
    let t = 0;
    const bar = new ProgressBar({ total: 40, label: 'train', stream, now: () => t });
    for (let k = 1; k <= 40; k++) {
      t = k * 2000;
      bar.update(k, { stage: k <= 20 ? 'solo' : 'packs', fitness: k / 100, winRate: k / 40 });
    }
    bar.done();
    // The first update (so the log shows training started), then every 10 %.
    expect(out).toHaveLength(11);
    expect(out[0]).toContain('1/40 stage solo');
    expect(out.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(out[1]).toContain('4/40 stage solo');
    expect(out[1]).toContain('elapsed 8s');
    expect(out[1]).toContain('ETA 1m 12s');
    expect(out[1]).toContain('fitness 0.040');
    expect(out[1]).toContain('win 10.0%');
    expect(out[10]).toContain('40/40 stage packs');
    expect(out[10]).toContain('ETA 0s');
    expect(out[10]).toContain('[####################]');
  });

  it('in a terminal redraws one line with \\r and done() ends it', () => {
    const { out, stream } = fake(true);
    let t = 0;
    const bar = new ProgressBar({ total: 4, label: 'train', stream, now: () => t });
    t = 1000;
    bar.update(1, { stage: 'a much longer stage name', fitness: 0.5, winRate: 0.25 });
    t = 2000;
    bar.update(2, { stage: 'b', fitness: 0.6, winRate: 0.5 });
    expect(out).toHaveLength(2);
    expect(out.every((s) => s.startsWith('\r') && !s.includes('\n'))).toBe(true);
    expect(out[1]).toContain('2/4 stage b');
    expect(out[1]).toContain('ETA 2s');
    // The shorter line is padded to cover the longer one it replaces.
    expect((out[1] as string).length).toBeGreaterThanOrEqual((out[0] as string).length);
    bar.done();
    expect(out[2]).toBe('\n');
  });

  it('prints the last state on done() when the log has not shown it, and rejects bad counts', () => {
    const { out, stream } = fake(false);
    const bar = new ProgressBar({ total: 100, label: 'train', stream, everyPercent: 50, now: () => 0 });
    bar.update(10, { stage: 's', fitness: 0, winRate: 0 });
    bar.update(20, { stage: 's', fitness: 0, winRate: 0 });
    expect(out).toHaveLength(1);
    bar.done();
    expect(out).toHaveLength(2);
    expect(out[1]).toContain('20/100');
    expect(() => bar.update(101, { stage: 's', fitness: 0, winRate: 0 })).toThrow(/generation 101 is outside 0..100/);
    expect(() => new ProgressBar({ total: 0, label: 'x', stream })).toThrow(/total is 0/);
  });
});
