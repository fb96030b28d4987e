import type { ActorId } from './ids.ts';

/** A scheduled timer. `seq` orders timers due at the same time and identifies the latest timer per key. */
export interface TimerEntry {
  readonly due: number;
  readonly seq: number;
  readonly actor: ActorId;
  readonly incarnation: number;
  readonly key: string;
  readonly data: unknown;
}

/** Binary min-heap of timers ordered by (due time, seq): deterministic order for timers due together. */
export class TimerQueue {
  private heap: TimerEntry[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(t: TimerEntry): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i] as TimerEntry, h[p] as TimerEntry)) break;
      [h[i], h[p]] = [h[p] as TimerEntry, h[i] as TimerEntry];
      i = p;
    }
  }

  /** The earliest timer, if it is due at or before `time`, removed from the queue. */
  popDue(time: number): TimerEntry | undefined {
    const h = this.heap;
    const top = h[0];
    if (!top || top.due > time + 1e-9) return undefined;
    const last = h.pop() as TimerEntry;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l] as TimerEntry, h[m] as TimerEntry)) m = l;
        if (r < h.length && less(h[r] as TimerEntry, h[m] as TimerEntry)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as TimerEntry, h[i] as TimerEntry];
        i = m;
      }
    }
    return top;
  }

  /**
   * All timers in heap order (a copy, unsorted: cheap enough for the tick). Pushing them into another queue gives
   * the same firing order, which (due, seq) alone decides.
   */
  copy(): TimerEntry[] {
    return this.heap.slice();
  }

  /** Remove the timers for which `drop` holds; returns them in firing order. */
  remove(drop: (t: TimerEntry) => boolean): TimerEntry[] {
    const removed: TimerEntry[] = [];
    const kept: TimerEntry[] = [];
    for (const t of this.heap) (drop(t) ? removed : kept).push(t);
    if (removed.length === 0) return removed;
    // A sorted array is a valid heap.
    this.heap = kept.sort(compare);
    return removed.sort(compare);
  }

  /** All timers in firing order (a copy), for hashing and inspection. */
  entries(): TimerEntry[] {
    return this.heap.slice().sort(compare);
  }
}

function less(a: TimerEntry, b: TimerEntry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

function compare(a: TimerEntry, b: TimerEntry): number {
  return less(a, b) ? -1 : 1;
}
