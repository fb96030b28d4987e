/** One observed position: `t` in milliseconds (client clock), `x`/`y` in world units. */
export interface Sample {
  readonly t: number;
  readonly x: number;
  readonly y: number;
}

/** Options of a {@link Track}. */
export interface TrackOptions {
  /** Expected time between patches, in ms (1000 / patch rate). */
  readonly patchMs: number;
  /** Samples kept per entity. */
  readonly keep?: number;
  /** A jump longer than this (world units) between two samples is a teleport: no sliding across it. */
  readonly snapDistance?: number;
}

/**
 * The recent positions of one entity, and where it was at any moment between them. Patches carry only what
 * changed, so an entity that stood still for a while and then moves gets a "hold" sample one patch before the
 * new one: it starts walking then, instead of gliding across the whole quiet period.
 */
export class Track {
  private readonly samples: Sample[] = [];
  private readonly keep: number;
  private readonly snapDistance: number;

  constructor(private readonly options: TrackOptions) {
    this.keep = options.keep ?? 8;
    this.snapDistance = options.snapDistance ?? 6;
  }

  /** Record the position seen at time `t` (ms). Out-of-order samples are ignored. */
  push(t: number, x: number, y: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last) {
      if (t < last.t) return;
      if (last.x === x && last.y === y) return;
      if (t === last.t) {
        this.samples[this.samples.length - 1] = { t, x, y };
        return;
      }
      // A gap of more than one and a half patches means it stood still in between.
      if (t - last.t > this.options.patchMs * 1.5) this.samples.push({ t: t - this.options.patchMs, x: last.x, y: last.y });
      if (Math.hypot(x - last.x, y - last.y) > this.snapDistance) {
        // Teleport: forget the old path so nothing slides across the jump.
        this.samples.length = 0;
      }
    }
    this.samples.push({ t, x, y });
    if (this.samples.length > this.keep) this.samples.splice(0, this.samples.length - this.keep);
  }

  /** Position at time `t` (ms): linear between the samples around it, clamped to the first and last. */
  at(t: number): { x: number; y: number } {
    const s = this.samples;
    const first = s[0];
    if (!first) return { x: NaN, y: NaN };
    if (t <= first.t) return { x: first.x, y: first.y };
    for (let i = 1; i < s.length; i++) {
      const b = s[i] as Sample;
      if (t <= b.t) {
        const a = s[i - 1] as Sample;
        const k = (t - a.t) / (b.t - a.t);
        return { x: a.x + (b.x - a.x) * k, y: a.y + (b.y - a.y) * k };
      }
    }
    const last = s[s.length - 1] as Sample;
    return { x: last.x, y: last.y };
  }

  /** The most recent sample. */
  latest(): Sample | undefined {
    return this.samples[this.samples.length - 1];
  }

  get size(): number {
    return this.samples.length;
  }
}

/**
 * Interpolated positions for every visible entity. Rendering runs `delayMs` behind the newest patch (about
 * two patch intervals), so there is almost always a sample on each side of the moment drawn.
 */
export class Interpolator {
  private readonly tracks = new Map<string, Track>();

  constructor(readonly options: TrackOptions & { readonly delayMs?: number }) {}

  /** Milliseconds rendering runs behind the patches. */
  get delayMs(): number {
    return this.options.delayMs ?? this.options.patchMs * 2;
  }

  /** Record entity `id` at (x, y) at time `t` (ms). */
  push(id: string, t: number, x: number, y: number): void {
    let track = this.tracks.get(id);
    if (!track) this.tracks.set(id, (track = new Track(this.options)));
    track.push(t, x, y);
  }

  /** Where entity `id` is drawn at wall time `now` (ms), or undefined if it was never seen. */
  position(id: string, now: number): { x: number; y: number } | undefined {
    return this.tracks.get(id)?.at(now - this.delayMs);
  }

  /** Forget an entity (it left the view or was removed). */
  remove(id: string): void {
    this.tracks.delete(id);
  }

  /** Forget every entity not in `ids`. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.tracks.keys()) if (!ids.has(id)) this.tracks.delete(id);
  }

  get size(): number {
    return this.tracks.size;
  }
}
