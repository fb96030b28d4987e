import { CallAbortedError } from './errors.ts';

/** Priority classes, served in this order: battle tactics before dialogue before background work. */
export const PRIORITY_CLASSES = ['battle', 'dialogue', 'background'] as const;
export type PriorityClass = (typeof PRIORITY_CLASSES)[number];

/** Concurrency caps per provider (`*` for the rest); a provider with no cap is not queued. */
export interface QueueOptions {
  readonly concurrency?: Readonly<Record<string, number>>;
  /** Most requests waiting per provider; past it a request is answered by its fallback at once (default 1,000). */
  readonly maxWaiting?: number;
}

/** A granted slot: give it back once the attempt is over. */
export interface Slot {
  /** How long the request waited, ms. */
  readonly waitedMs: number;
  release(): void;
}

/** How a wait ended, for metrics. */
export interface WaitEvent {
  readonly provider: string;
  readonly priority: PriorityClass;
  readonly waitedMs: number;
  readonly outcome: 'granted' | 'deadline' | 'full' | 'aborted';
}

interface Waiter {
  readonly room: string;
  readonly priority: PriorityClass;
  readonly since: number;
  readonly resolve: (slot: Slot | undefined) => void;
  readonly reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  cleanup: (() => void) | undefined;
}

/** One provider's slots and waiters: per class, per room FIFO, rooms taken in turn. */
class ProviderLine {
  inFlight = 0;
  waiting = 0;
  /** Per class: rooms in turn order, each with its FIFO of waiters. */
  readonly classes = new Map<PriorityClass, Map<string, Waiter[]>>(PRIORITY_CLASSES.map((c) => [c, new Map()]));

  /** Slots only battle requests may take: background and dialogue start only while this many stay free. */
  readonly reserved: number;

  constructor(readonly cap: number) {
    this.reserved = cap >= 4 ? Math.max(1, Math.floor(cap / 8)) : 0;
  }

  /** In flight below which a request of `priority` may start. */
  limit(priority: PriorityClass): number {
    return priority === 'battle' ? this.cap : this.cap - this.reserved;
  }

  /** Whether anyone of `priority` or a higher class is waiting. */
  waitingAtOrAbove(priority: PriorityClass): boolean {
    for (const [c, rooms] of this.classes) {
      if (rooms.size > 0) return true;
      if (c === priority) break;
    }
    return false;
  }

  /** The next waiter that may start now: the highest class with waiters (within its limit); within it, the room whose turn it is. */
  takeNext(): Waiter | undefined {
    for (const [priority, rooms] of this.classes) {
      if (this.inFlight >= this.limit(priority)) continue;
      for (const [room, queue] of rooms) {
        const w = queue.shift() as Waiter;
        rooms.delete(room);
        if (queue.length > 0) rooms.set(room, queue); // its next request goes to the back of the turn order
        this.waiting--;
        return w;
      }
    }
    return undefined;
  }

  remove(w: Waiter): boolean {
    const rooms = this.classes.get(w.priority) as Map<string, Waiter[]>;
    const queue = rooms.get(w.room);
    const k = queue ? queue.indexOf(w) : -1;
    if (!queue || k < 0) return false;
    queue.splice(k, 1);
    if (queue.length === 0) rooms.delete(w.room);
    this.waiting--;
    return true;
  }

  depth(priority: PriorityClass): number {
    let n = 0;
    for (const q of (this.classes.get(priority) as Map<string, Waiter[]>).values()) n += q.length;
    return n;
  }
}

/**
 * The gateway's admission queue: at most `concurrency[provider]` attempts in flight per provider in this process.
 * Past the cap, requests wait by priority class (battle, dialogue, background); within a class, rooms take turns,
 * so one busy room cannot starve the others. One slot in eight (for caps of 4 or more) is kept for battle requests:
 * dialogue and background start only while it is free, so a battle never waits for a whole provider latency behind
 * a flood. A request that cannot start before its deadline is answered by its
 * fallback (`acquire` resolves undefined) rather than waiting past it.
 */
export class AdmissionQueue {
  private readonly lines = new Map<string, ProviderLine>();
  private readonly caps: Readonly<Record<string, number>>;
  private readonly maxWaiting: number;
  private readonly listeners: ((e: WaitEvent) => void)[] = [];

  constructor(opts: QueueOptions = {}) {
    this.caps = opts.concurrency ?? {};
    this.maxWaiting = opts.maxWaiting ?? 1000;
    for (const [p, n] of Object.entries(this.caps)) {
      if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`queue.concurrency.${p}: expected a whole number >= 1, got ${n}`);
    }
  }

  /** Called for every wait that ended (granted, deadline, full, aborted). */
  onWait(fn: (e: WaitEvent) => void): void {
    this.listeners.push(fn);
  }

  /** The cap of a provider, or undefined when it is not queued. */
  cap(provider: string): number | undefined {
    return this.caps[provider] ?? this.caps['*'];
  }

  private line(provider: string): ProviderLine | undefined {
    let l = this.lines.get(provider);
    if (!l) {
      const cap = this.cap(provider);
      if (cap === undefined) return undefined;
      l = new ProviderLine(cap);
      this.lines.set(provider, l);
    }
    return l;
  }

  /**
   * A slot for one attempt on `provider`, waiting in `priority` for `room`'s turn. Resolves undefined when no slot
   * came before `deadlineMs` (ms from now) or the provider's line is full; rejects with CallAbortedError on abort.
   */
  acquire(provider: string, priority: PriorityClass, room: string, deadlineMs: number, signal?: AbortSignal): Promise<Slot | undefined> | Slot {
    const line = this.line(provider);
    if (!line) return { waitedMs: 0, release: () => undefined };
    if (line.inFlight < line.limit(priority) && !line.waitingAtOrAbove(priority)) {
      line.inFlight++;
      this.emit({ provider, priority, waitedMs: 0, outcome: 'granted' });
      return this.slot(provider, line, 0);
    }
    if (line.waiting >= this.maxWaiting || deadlineMs <= 0) {
      this.emit({ provider, priority, waitedMs: 0, outcome: line.waiting >= this.maxWaiting ? 'full' : 'deadline' });
      return Promise.resolve(undefined);
    }
    if (signal?.aborted) return Promise.reject(new CallAbortedError({ cause: signal.reason }));
    return new Promise<Slot | undefined>((resolve, reject) => {
      const w: Waiter = { room, priority, since: performance.now(), resolve, reject, timer: undefined, cleanup: undefined };
      const rooms = line.classes.get(priority) as Map<string, Waiter[]>;
      const queue = rooms.get(room);
      if (queue) queue.push(w);
      else rooms.set(room, [w]);
      line.waiting++;
      w.timer = setTimeout(() => {
        if (!line.remove(w)) return;
        w.cleanup?.();
        this.emit({ provider, priority, waitedMs: performance.now() - w.since, outcome: 'deadline' });
        resolve(undefined);
      }, deadlineMs);
      if (signal) {
        const onAbort = (): void => {
          if (!line.remove(w)) return;
          clearTimeout(w.timer);
          this.emit({ provider, priority, waitedMs: performance.now() - w.since, outcome: 'aborted' });
          reject(new CallAbortedError({ cause: signal.reason }));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        w.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
    });
  }

  private slot(provider: string, line: ProviderLine, waitedMs: number): Slot {
    let done = false;
    return {
      waitedMs,
      release: () => {
        if (done) return;
        done = true;
        line.inFlight--;
        const next = line.takeNext();
        if (!next) return;
        line.inFlight++;
        // The slot passes straight to the next waiter: in flight stays the same.
        clearTimeout(next.timer);
        next.cleanup?.();
        const waited = performance.now() - next.since;
        this.emit({ provider, priority: next.priority, waitedMs: waited, outcome: 'granted' });
        next.resolve(this.slot(provider, line, waited));
      },
    };
  }

  /** Requests waiting for `provider` in `priority` (all providers when undefined). */
  depth(priority: PriorityClass, provider?: string): number {
    if (provider !== undefined) return this.lines.get(provider)?.depth(priority) ?? 0;
    let n = 0;
    for (const l of this.lines.values()) n += l.depth(priority);
    return n;
  }

  /** Attempts in flight for `provider`. */
  inFlight(provider: string): number {
    return this.lines.get(provider)?.inFlight ?? 0;
  }

  private emit(e: WaitEvent): void {
    for (const fn of this.listeners) fn(e);
  }
}
