import { describe, expect, it } from 'vitest';
import { Mailbox } from '../../actors/index.ts';
import type { Message } from '../../actors/index.ts';

const msg = (n: number): Message => ({ type: 'signal', topic: 't', from: 0, data: n });
const dataOf = (m: Message | undefined): unknown => (m as { data: unknown } | undefined)?.data;

describe('Mailbox', () => {
  it('is first in, first out across many fill-and-drain cycles, and refuses past its capacity', () => {
    const box = new Mailbox(5);
    let next = 0, expected = 0;
    for (let cycle = 0; cycle < 50; cycle++) {
      const n = (cycle % 7) + 1;
      let accepted = 0;
      for (let i = 0; i < n; i++) if (box.push(msg(next + i))) accepted++;
      expect(accepted).toBe(Math.min(n, 5));
      expect(box.size).toBe(accepted);
      for (let i = 0; i < accepted; i++) expect(dataOf(box.shift())).toBe(expected + i);
      expect(box.shift()).toBeUndefined();
      expect(box.size).toBe(0);
      next += n;
      expected = next;
    }
  });

  it('keeps order while messages keep arriving faster than they leave (compacting as it goes)', () => {
    const box = new Mailbox(1000);
    const out: unknown[] = [];
    for (let i = 0; i < 600; i++) {
      box.push(msg(2 * i));
      box.push(msg(2 * i + 1));
      out.push(dataOf(box.shift()));
    }
    expect(box.size).toBe(600);
    expect(box.toArray().map(dataOf)).toEqual(Array.from({ length: 600 }, (_, i) => 600 + i));
    while (box.size) out.push(dataOf(box.shift()));
    expect(out).toEqual(Array.from({ length: 1200 }, (_, i) => i));
  });

  it('clear empties it; it takes messages again afterwards', () => {
    const box = new Mailbox(3);
    box.push(msg(1));
    box.push(msg(2));
    box.shift();
    box.clear();
    expect(box.size).toBe(0);
    expect(box.toArray()).toEqual([]);
    expect(box.push(msg(7)) && box.push(msg(8)) && box.push(msg(9))).toBe(true);
    expect(box.push(msg(10))).toBe(false);
    expect(box.toArray().map(dataOf)).toEqual([7, 8, 9]);
  });
});
