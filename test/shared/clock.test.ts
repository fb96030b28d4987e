import { describe, expect, it } from 'vitest';
import { FixedStep, ManualClock, stableHash } from '../../shared/index.ts';

describe('ManualClock', () => {
  it('moves only when advanced', () => {
    const c = new ManualClock(100);
    expect(c.now()).toBe(100);
    c.advance(10_000);
    expect(c.now()).toBe(10_100);
    expect(() => c.advance(-1)).toThrow(RangeError);
  });
});

describe('FixedStep', () => {
  it('runs whole steps and carries the leftover', () => {
    const f = new FixedStep(0.05);
    expect(f.advance(0.12)).toBe(2);
    expect(f.alpha).toBeCloseTo(0.4, 6);
    expect(f.advance(0.03)).toBe(1); // 0.02 + 0.03 = one step
    expect(f.advance(0.15)).toBe(3); // rounding does not lose a step
  });

  it('caps steps per advance and counts the dropped time', () => {
    const f = new FixedStep(0.05, 4);
    expect(f.advance(1)).toBe(4);
    expect(f.droppedSeconds).toBeCloseTo(0.8, 6);
    expect(f.advance(0.05)).toBe(1);
    expect(() => new FixedStep(0)).toThrow(RangeError);
    expect(() => f.advance(Number.NaN)).toThrow(RangeError);
  });
});

describe('stableHash', () => {
  it('ignores key order and sees every bit of a number', () => {
    expect(stableHash({ a: 1, b: [1, 'x'] })).toBe(stableHash({ b: [1, 'x'], a: 1 }));
    expect(stableHash({ a: 0.1 + 0.2 })).not.toBe(stableHash({ a: 0.3 }));
    expect(stableHash([1, 2])).not.toBe(stableHash([2, 1]));
    expect(stableHash('1')).not.toBe(stableHash(1));
    expect(stableHash(null)).not.toBe(stableHash(undefined));
  });

  it('both 32-bit halves depend on the first byte of a long input, not only on its last bytes', () => {
    const tail = 'x'.repeat(200);
    const a = stableHash(`a${tail}`), b = stableHash(`b${tail}`);
    expect(a.slice(0, 8)).not.toBe(b.slice(0, 8));
    expect(a.slice(8)).not.toBe(b.slice(8));
  });
});
