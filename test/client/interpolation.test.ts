import { describe, expect, it } from 'vitest';
import { Interpolator, Track } from '../../client/interpolation.ts';

describe('Track', () => {
  it('interpolates linearly between patches and clamps outside them', () => {
    const t = new Track({ patchMs: 50 });
    t.push(1000, 0, 0);
    t.push(1050, 1, 2);
    t.push(1100, 2, 4);
    expect(t.at(900)).toEqual({ x: 0, y: 0 });
    expect(t.at(1025)).toEqual({ x: 0.5, y: 1 });
    expect(t.at(1075)).toEqual({ x: 1.5, y: 3 });
    expect(t.at(5000)).toEqual({ x: 2, y: 4 });
  });

  it('after standing still, starts moving one patch before the new position instead of gliding across the gap', () => {
    const t = new Track({ patchMs: 50 });
    t.push(0, 5, 5);
    t.push(2000, 6, 5); // idle for two seconds, then one step
    expect(t.at(1000)).toEqual({ x: 5, y: 5 });
    expect(t.at(1950)).toEqual({ x: 5, y: 5 });
    expect(t.at(1975).x).toBeCloseTo(5.5);
  });

  it('does not add a hold sample for patches arriving on time (small jitter)', () => {
    const t = new Track({ patchMs: 50 });
    t.push(0, 0, 0);
    t.push(60, 1, 0);
    expect(t.size).toBe(2);
    expect(t.at(30).x).toBeCloseTo(0.5);
  });

  it('snaps across a teleport instead of sliding', () => {
    const t = new Track({ patchMs: 50, snapDistance: 5 });
    t.push(0, 0, 0);
    t.push(50, 100, 0);
    expect(t.at(25)).toEqual({ x: 100, y: 0 });
  });

  it('ignores out-of-order samples, drops repeats, replaces same-time samples and keeps a bounded history', () => {
    const t = new Track({ patchMs: 50, keep: 4 });
    t.push(100, 1, 1);
    t.push(50, 9, 9);
    t.push(150, 1, 1);
    expect(t.size).toBe(1);
    t.push(100, 2, 2);
    expect(t.latest()).toEqual({ t: 100, x: 2, y: 2 });
    for (let i = 1; i <= 10; i++) t.push(100 + i * 50, 2 + i, 2);
    expect(t.size).toBe(4);
    expect(t.latest()).toEqual({ t: 600, x: 12, y: 2 });
  });

  it('has no position before the first sample', () => {
    expect(Number.isNaN(new Track({ patchMs: 50 }).at(0).x)).toBe(true);
  });
});

describe('Interpolator', () => {
  it('renders two patches behind by default, per entity, and forgets entities', () => {
    const interp = new Interpolator({ patchMs: 50 });
    expect(interp.delayMs).toBe(100);
    interp.push('1', 0, 0, 0);
    interp.push('1', 50, 1, 0);
    interp.push('1', 100, 2, 0);
    interp.push('2', 0, 10, 10);
    expect(interp.position('1', 125)).toEqual({ x: 0.5, y: 0 });
    expect(interp.position('2', 125)).toEqual({ x: 10, y: 10 });
    expect(interp.position('3', 125)).toBeUndefined();
    interp.retain(new Set(['2']));
    expect(interp.position('1', 125)).toBeUndefined();
    interp.remove('2');
    expect(interp.size).toBe(0);
  });
});
