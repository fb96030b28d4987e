import type { OrderKind, Perception, Traits } from '../actors/index.ts';
import type { HeadSpec } from './nn/mlp.ts';

/** Coordinator orders in feature order. */
export const ORDERS: readonly OrderKind[] = ['none', 'engage', 'flankLeft', 'flankRight', 'surround', 'bait', 'guardLeader', 'retreat', 'regroup', 'focus'];
/** The policy model's input width. */
export const POLICY_INPUTS = 14 + ORDERS.length + 6;
/** Its output: logits over ACTIONS. */
export const POLICY_HEADS: readonly HeadSpec[] = [{ name: 'logits', size: 9, kind: 'softmax' }];

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
const TAU = 2 * Math.PI;
const HALF_PI = Math.PI / 2;
const SIN_A = 4 / Math.PI;
const SIN_B = 4 / (Math.PI * Math.PI);

/**
 * sin(x) to within ~0.001 (a parabola with one correction term): features need direction, not precision, and
 * Math.sin/cos cost a third of feature extraction. Training uses the same function, so the model sees the same numbers.
 * Math.abs rather than a sign test (which mispredicts half the time on bearings); both give the same bits, ±0
 * included. Kept this small so that it inlines at all four call sites of {@link policyFeatures}: a call that
 * does not inline boxes its number argument, one allocation per feature.
 */
export function approxSin(x: number): number {
  return sinOfWrapped(wrapAngle(x));
}

/**
 * `x` wrapped to [-π, π). Bearings come from atan2 and are nearly always in range already: that case skips the
 * floor and the division, and gives the same bits as the wrap would (it subtracts 2π × 0).
 */
function wrapAngle(x: number): number {
  return x >= -Math.PI && x < Math.PI ? x : x - TAU * Math.floor((x + Math.PI) / TAU);
}

/** {@link approxSin} of an angle already in [-π, π]. */
function sinOfWrapped(a: number): number {
  const y = SIN_A * a - SIN_B * a * Math.abs(a);
  return 0.225 * (y * Math.abs(y) - y) + y;
}

/**
 * cos(x) as {@link approxSin} of π/2 − |x| (x wrapped): cosine is even and sin(π/2 − u) = cos(u), and the parabola
 * is symmetric about π/2 as sine is, so this is approxSin(x + π/2) without a second wrap.
 */
function approxCosOfWrapped(a: number): number {
  return sinOfWrapped(HALF_PI - Math.abs(a));
}

/** The index of `order` in ORDERS, or -1 for anything else. A scan beats a Set here: most actors have no order, the first entry. */
export function orderIndex(order: unknown): number {
  for (let k = 0; k < ORDERS.length; k++) if (ORDERS[k] === order) return k;
  return -1;
}

/**
 * Write the features of one perception + traits into `out` at `offset` (POLICY_INPUTS numbers) and return true,
 * or return false, having written nothing, when one of the sixteen numbers is not finite (or not a number at
 * all). Distances are scaled by 20 world units and capped; bearings become sin/cos; pack size is scaled by 8; an
 * unknown order counts as `none`. `order` is the order's index in ORDERS, when the caller has it already.
 * This runs for every think request of a tick: each field is read once, checked and then used (a separate
 * check read every field twice), and the stores are straight-line with one branch per seen/unseen group (a loop,
 * or a branch per store, costs more than the stores).
 */
export function policyFeatures(p: Perception, t: Traits, out: Float32Array, o: number, order = orderIndex(p.order)): boolean {
  const td = p.threatDist, tb = p.threatBearing, ad = p.allyDist, ab = p.allyBearing, hp = p.health, th = p.targetHealth;
  const pk = p.packNearby, tc = p.terrainCost, cv = p.cover, sh = p.sinceHit;
  const ag = t.aggression, co = t.courage, so = t.sociability, gr = t.greed, cu = t.curiosity, cn = t.cunning;
  if (!(Number.isFinite(td) && Number.isFinite(tb) && Number.isFinite(ad) && Number.isFinite(ab) && Number.isFinite(hp) && Number.isFinite(th)
    && Number.isFinite(pk) && Number.isFinite(tc) && Number.isFinite(cv) && Number.isFinite(sh)
    && Number.isFinite(ag) && Number.isFinite(co) && Number.isFinite(so) && Number.isFinite(gr) && Number.isFinite(cu) && Number.isFinite(cn))) return false;
  if (td >= 0) {
    out[o] = 1;
    out[o + 1] = clamp01(td / 20);
    const a = wrapAngle(tb);
    out[o + 2] = sinOfWrapped(a);
    out[o + 3] = approxCosOfWrapped(a);
  } else {
    out[o] = 0;
    out[o + 1] = 1;
    out[o + 2] = 0;
    out[o + 3] = 0;
  }
  if (ad >= 0) {
    out[o + 4] = 1;
    out[o + 5] = clamp01(ad / 20);
    const a = wrapAngle(ab);
    out[o + 6] = sinOfWrapped(a);
    out[o + 7] = approxCosOfWrapped(a);
  } else {
    out[o + 4] = 0;
    out[o + 5] = 1;
    out[o + 6] = 0;
    out[o + 7] = 0;
  }
  out[o + 8] = clamp01(hp);
  out[o + 9] = clamp01(th);
  out[o + 10] = clamp01(pk / 8);
  out[o + 11] = clamp01((tc - 1) / 4);
  out[o + 12] = clamp01(cv);
  out[o + 13] = clamp01(sh / 60);
  // One-hot order: one store per ORDERS entry (a test pins ORDERS to these ten).
  out[o + 14] = 0;
  out[o + 15] = 0;
  out[o + 16] = 0;
  out[o + 17] = 0;
  out[o + 18] = 0;
  out[o + 19] = 0;
  out[o + 20] = 0;
  out[o + 21] = 0;
  out[o + 22] = 0;
  out[o + 23] = 0;
  out[o + 14 + (order < 0 ? 0 : order)] = 1;
  const b = o + 14 + ORDERS.length;
  out[b] = clamp01(ag);
  out[b + 1] = clamp01(co);
  out[b + 2] = clamp01(so);
  out[b + 3] = clamp01(gr);
  out[b + 4] = clamp01(cu);
  out[b + 5] = clamp01(cn);
  return true;
}

/** Temperature of the teacher's softmax (the model is trained on these soft targets). */
export const TEACHER_TEMPERATURE = 0.35;

/**
 * The rule teacher: a score per action (ACTIONS order) from the features written by {@link policyFeatures}.
 * Traits shape it: aggression and courage push towards attack and chase, low courage and low health
 * towards retreat, sociability towards calling the pack and following orders, cunning towards flanking,
 * curiosity towards wandering.
 */
export function teacherScores(f: ArrayLike<number>, o = 0): number[] {
  const seen = f[o] as number, d = f[o + 1] as number, sinB = f[o + 2] as number;
  const ally = f[o + 4] as number;
  const hp = f[o + 8] as number, thp = f[o + 9] as number, pack = f[o + 10] as number, terrain = f[o + 11] as number;
  const cover = f[o + 12] as number, since = f[o + 13] as number;
  const orderNone = f[o + 14] as number, orderRetreat = f[o + 14 + 7] as number;
  const b = o + 14 + ORDERS.length;
  const ag = f[b] as number, co = f[b + 1] as number, so = f[b + 2] as number, gr = f[b + 3] as number, cu = f[b + 4] as number, cn = f[b + 5] as number;
  const hasOrder = 1 - orderNone;
  const recentlyHit = 1 - Math.min(1, since * 20); // 1 right after a hit, 0 after 3 s
  const near = 1 - d; // 1 at contact, 0 at 20 units
  const fear = (1 - co) * 2.2 + (1 - hp) * 2.4 * (1.2 - co) + recentlyHit * (1 - co) * 0.8 - pack * 1.2 - ag * 0.8;
  const strength = hp - thp * 0.6 + pack * 0.8;
  const none = -4;
  return [
    // attack
    seen ? ag * 2.6 + co * 1.2 + near * 2.2 - d * 1.5 + strength * 0.8 + gr * 0.3 - 1.8 : none,
    // chase
    seen ? ag * 1.8 + co * 0.6 + d * 1.6 - near * 0.6 + (1 - thp) * 0.8 + gr * 0.4 - terrain * 0.8 - 1.2 : none,
    // flankLeft (threat to the left: bearing > 0)
    seen ? cn * 2.4 + pack * 1.5 + ally * 0.3 + sinB * 0.8 - 1.9 - near * 0.3 : none,
    // flankRight
    seen ? cn * 2.4 + pack * 1.5 + ally * 0.3 - sinB * 0.8 - 1.9 - near * 0.3 : none,
    // hold
    cover * 1.2 + (1 - cu) * 0.5 + (seen ? (1 - ag) * 0.6 + co * 0.4 - 0.4 : -0.2) + terrain * 0.4 - 0.4,
    // retreat
    (seen ? fear - 0.4 + near * 0.3 : fear * 0.3 - 1.5) + orderRetreat * 2.5,
    // callPack
    seen ? so * 2.0 + ally * 0.6 + (1 - hp) * 0.8 - pack * 1.5 - 1.4 : none + 1,
    // wander
    seen ? none + 1 - ag : cu * 2.0 + (1 - cover) * 0.2 - 0.1,
    // followOrder
    hasOrder ? 1.1 + so * 1.8 - cn * 0.6 - ag * 0.3 - orderRetreat * 2.5 : none - 2,
  ];
}
