import { Rng } from '../shared/index.ts';

/** A point in world units. */
export interface Site {
  readonly x: number;
  readonly y: number;
}

/**
 * `count` points picked from `candidates` by farthest-point sampling: the first is drawn with a generator seeded
 * by `seed`, each next one is the candidate farthest from all picked so far (ties to the earlier candidate). So
 * the sites cover the region evenly, and the same candidates and seed give the same sites.
 */
export function farthestPoints(candidates: readonly Site[], count: number, seed: string): Site[] {
  if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`farthestPoints: count must be a whole number >= 0, got ${count}`);
  if (candidates.length === 0 || count === 0) return [];
  const rng = Rng.create(`spawn-sites:${seed}`);
  const nearest = new Float64Array(candidates.length).fill(Number.POSITIVE_INFINITY);
  const out: Site[] = [];
  let pick = rng.int(0, candidates.length - 1);
  while (out.length < Math.min(count, candidates.length)) {
    const s = candidates[pick] as Site;
    out.push(s);
    let far = -1;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i] as Site;
      const d = (c.x - s.x) ** 2 + (c.y - s.y) ** 2;
      if (d < (nearest[i] as number)) nearest[i] = d;
      if (far < 0 || (nearest[i] as number) > (nearest[far] as number)) far = i;
    }
    if ((nearest[far] as number) === 0) break; // every candidate is picked
    pick = far;
  }
  return out;
}
