/** A request no link could answer: why, which links were tried and how each ended, and when. */
export interface DeadLetter {
  /** Gateway clock, ms. */
  readonly at: number;
  readonly requestId: string;
  readonly operation: string;
  readonly tenant: string;
  readonly player: string | undefined;
  readonly room: string | undefined;
  /** The error the caller got (redacted). */
  readonly reason: string;
  readonly links: readonly { readonly link: string; readonly outcome: string }[];
}

/**
 * The dead-letter record: a bounded ring of the most recent requests that exhausted every link, for operators (admin
 * API, `/metrics`). Nothing here is retried: a request that failed everywhere is looked at, not sent again blindly.
 */
export class DeadLetters {
  private readonly ring: DeadLetter[] = [];
  private next = 0;
  /** Every dead letter since start, by operation. */
  readonly counts = new Map<string, number>();
  private readonly listeners: ((d: DeadLetter) => void)[] = [];

  constructor(readonly capacity = 500) {}

  add(d: DeadLetter): void {
    if (this.ring.length < this.capacity) this.ring.push(d);
    else this.ring[this.next] = d;
    this.next = (this.next + 1) % this.capacity;
    this.counts.set(d.operation, (this.counts.get(d.operation) ?? 0) + 1);
    for (const fn of this.listeners) fn(d);
  }

  onAdd(fn: (d: DeadLetter) => void): void {
    this.listeners.push(fn);
  }

  /** The most recent, newest first (at most `limit`). */
  recent(limit = 100): DeadLetter[] {
    const out: DeadLetter[] = [];
    const n = this.ring.length;
    for (let i = 1; i <= Math.min(limit, n); i++) out.push(this.ring[(this.next - i + n * 2) % n] as DeadLetter);
    return out;
  }

  get size(): number {
    return this.ring.length;
  }
}
