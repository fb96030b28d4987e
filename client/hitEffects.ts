import type { HitMessage } from '../shared/index.ts';

/** A landed blow as the server's `hit` message carries it. */
export type Hit = HitMessage;

/** How long a damage number floats, ms. */
export const FLOAT_MS = 1000;
/** How long a hit body flashes, ms. */
export const FLASH_MS = 220;
/** Numbers kept at once (a big fight makes many). */
const MAX_FLOATERS = 200;

/** A damage number in flight: where it started (the target's id; drawn over it), its text, how far along it is. */
export interface Floater {
  readonly target: number;
  readonly text: string;
  /** 0 when it appears, 1 when it is gone. */
  readonly age: number;
  /** A small sideways offset so numbers of blows in a row do not sit on one another, px. */
  readonly dx: number;
}

/** Reads a `hit` message, or undefined when it is not one. */
export function hitOf(body: unknown): Hit | undefined {
  const b = body as Partial<Hit> | null;
  if (!b || typeof b !== 'object') return undefined;
  const ok = [b.target, b.source, b.amount, b.hp, b.tick].every((v) => typeof v === 'number' && Number.isFinite(v));
  return ok ? (b as Hit) : undefined;
}

/** Damage numbers and hit flashes: fed `hit` messages, asked what to draw at a time (ms). */
export class HitEffects {
  private readonly hits: { readonly hit: Hit; readonly at: number; readonly dx: number }[] = [];
  private n = 0;

  add(hit: Hit, now: number): void {
    this.hits.push({ hit, at: now, dx: ((this.n++ % 5) - 2) * 6 });
    if (this.hits.length > MAX_FLOATERS) this.hits.shift();
  }

  /** Damage numbers alive at `now`. */
  floaters(now: number): Floater[] {
    this.expire(now);
    return this.hits.map(({ hit, at, dx }) => ({ target: hit.target, text: `-${Math.round(hit.amount)}`, age: (now - at) / FLOAT_MS, dx }));
  }

  /** Ids of the bodies flashing at `now` (hit within the last {@link FLASH_MS}). */
  flashing(now: number): Set<number> {
    const out = new Set<number>();
    for (const h of this.hits) if (now - h.at < FLASH_MS) out.add(h.hit.target);
    return out;
  }

  clear(): void {
    this.hits.length = 0;
  }

  private expire(now: number): void {
    let i = 0;
    while (i < this.hits.length && now - (this.hits[i] as { at: number }).at >= FLOAT_MS) i++;
    if (i > 0) this.hits.splice(0, i);
  }
}
