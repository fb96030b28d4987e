import type { ActorId } from './ids.ts';

/** Lowest zone coordinate on either axis. */
export const ZONE_MIN = -16;
/** Highest zone coordinate on either axis (32 × 32 = 1,024 zones). */
export const ZONE_MAX = 15;
/**
 * Width of each zone's id range: 2^22. A zone hands out the first 2^22 - 1 of them, so that the last id of the last
 * zone is 2^32 - 1 and every id fits the snapshot's Uint32 columns.
 */
export const ZONE_ID_SPAN = 2 ** 22;

function checkZone(zx: number, zy: number, what: string): void {
  for (const [name, v] of [['zx', zx], ['zy', zy]] as const) {
    if (!Number.isInteger(v) || v < ZONE_MIN || v > ZONE_MAX) {
      throw new RangeError(`${what}: ${name} must be an integer in ${ZONE_MIN}..${ZONE_MAX}, got ${String(v)}`);
    }
  }
}

/** Index of zone (zx, zy) in 0..1023, row by row from (-16, -16). */
function zoneIndex(zx: number, zy: number): number {
  return (zy - ZONE_MIN) * (ZONE_MAX - ZONE_MIN + 1) + (zx - ZONE_MIN);
}

/** The first actor id of zone (zx, zy): `1 + zoneIndex × 2^22`. Throws a RangeError for coordinates outside -16..15. */
export function zoneIdBase(zx: number, zy: number): ActorId {
  checkZone(zx, zy, 'zoneIdBase');
  return 1 + zoneIndex(zx, zy) * ZONE_ID_SPAN;
}

/** The ids zone (zx, zy) hands out, as `createWorld`/`Simulation` options: `[idBase, idEnd)`, 2^22 - 1 of them. */
export function zoneIdRange(zx: number, zy: number): { readonly idBase: ActorId; readonly idEnd: ActorId } {
  const idBase = zoneIdBase(zx, zy);
  return { idBase, idEnd: idBase + ZONE_ID_SPAN - 1 };
}

/** The zone whose range holds actor `id` (where it was spawned; it may live elsewhere now). */
export function zoneOfId(id: ActorId): { readonly zx: number; readonly zy: number } {
  const zones = (ZONE_MAX - ZONE_MIN + 1) ** 2;
  if (!Number.isInteger(id) || id < 1 || id >= zones * ZONE_ID_SPAN) {
    throw new RangeError(`zoneOfId: id must be an integer in 1..${zones * ZONE_ID_SPAN - 1}, got ${String(id)}`);
  }
  const index = Math.floor((id - 1) / ZONE_ID_SPAN);
  const side = ZONE_MAX - ZONE_MIN + 1;
  return { zx: (index % side) + ZONE_MIN, zy: Math.floor(index / side) + ZONE_MIN };
}
