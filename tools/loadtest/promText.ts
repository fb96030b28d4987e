/** One sample line of the Prometheus text format. */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parse the Prometheus text exposition (comments skipped). */
export function parsePromText(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    const raw = m[3] as string;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    out.push({ name: m[1] as string, labels, value });
  }
  return out;
}

/** Sum of every sample named `name` whose labels include `match`. NaN when there is none. */
export function sumOf(samples: readonly PromSample[], name: string, match: Record<string, string> = {}): number {
  let sum = 0;
  let seen = false;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(match).some(([k, v]) => s.labels[k] !== v)) continue;
    sum += s.value;
    seen = true;
  }
  return seen ? sum : NaN;
}

/** A histogram's cumulative bucket counts: upper bounds (seconds or whatever the metric uses) ascending. */
export interface Buckets {
  readonly le: readonly number[];
  readonly counts: readonly number[];
}

/** The buckets of histogram `name` (summed over label sets), or null when it is not there. */
export function bucketsOf(samples: readonly PromSample[], name: string): Buckets | null {
  const byLe = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== `${name}_bucket`) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  if (!byLe.size) return null;
  const le = [...byLe.keys()].sort((a, b) => a - b);
  return { le, counts: le.map((k) => byLe.get(k) as number) };
}

/** Bucket counts of `b` minus those of `a` (the observations between two scrapes). */
export function bucketsDelta(b: Buckets, a: Buckets | null): Buckets {
  if (!a || a.le.length !== b.le.length) return b;
  return { le: b.le, counts: b.counts.map((c, i) => Math.max(0, c - (a.counts[i] ?? 0))) };
}

/**
 * The `q`-quantile of a histogram, interpolated linearly inside its bucket (as Prometheus' histogram_quantile
 * does); an answer in the +Inf bucket is the highest finite bound. NaN with no observations.
 */
export function histogramQuantile(b: Buckets, q: number): number {
  const total = b.counts[b.counts.length - 1] ?? 0;
  if (total <= 0) return NaN;
  const rank = q * total;
  for (let i = 0; i < b.le.length; i++) {
    const c = b.counts[i] as number;
    if (c >= rank) {
      const upper = b.le[i] as number;
      const lower = i === 0 ? 0 : (b.le[i - 1] as number);
      if (!Number.isFinite(upper)) return lower;
      const below = i === 0 ? 0 : (b.counts[i - 1] as number);
      const inBucket = c - below;
      return inBucket > 0 ? lower + ((upper - lower) * (rank - below)) / inBucket : upper;
    }
  }
  return b.le[b.le.length - 2] ?? NaN;
}
