import type { Body } from '../body.ts';
import type { ActorId } from '../ids.ts';

/**
 * What a neighbouring zone publishes of one of its actors near the border: plain data (survives msgpack, JSON
 * and structured clone). Positions in world units, velocities in units per second, `heading` in radians.
 */
export interface GhostBody {
  readonly id: ActorId;
  /** `monster`, `player`, `npc` …: ghost players count as players for perception and level of detail. */
  readonly kind: string;
  readonly x: number;
  readonly y: number;
  readonly radius: number;
  readonly hp: number;
  readonly maxHp: number;
  readonly faction: string;
  /** Default `hp > 0`. */
  readonly alive?: boolean;
  readonly vx?: number;
  readonly vy?: number;
  readonly heading?: number;
  readonly speed?: number;
  /** Display tags (species, name, pack …). */
  readonly tags?: Readonly<Record<string, string | number | boolean>> | null;
  /** Spawn protection: its foes here do not pick it as a target. */
  readonly shielded?: boolean;
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Why `g` is not a {@link GhostBody}, naming the field (`x: expected a finite number, got "a"`), or null. */
export function ghostProblem(g: unknown): string | null {
  if (typeof g !== 'object' || g === null) return `expected an object, got ${g === null ? 'null' : typeof g}`;
  const v = g as Record<string, unknown>;
  if (!(Number.isInteger(v.id) && (v.id as number) > 0)) return `id: expected a positive integer actor id, got ${JSON.stringify(v.id)}`;
  if (typeof v.kind !== 'string') return `kind: expected a string, got ${JSON.stringify(v.kind)}`;
  if (typeof v.faction !== 'string') return `faction: expected a string, got ${JSON.stringify(v.faction)}`;
  for (const k of ['x', 'y', 'hp', 'maxHp'] as const) if (!finite(v[k])) return `${k}: expected a finite number, got ${JSON.stringify(v[k])}`;
  if (!(finite(v.radius) && v.radius >= 0)) return `radius: expected a finite number >= 0, got ${JSON.stringify(v.radius)}`;
  for (const k of ['vx', 'vy', 'heading', 'speed'] as const) if (v[k] !== undefined && !finite(v[k])) return `${k}: expected a finite number when given, got ${JSON.stringify(v[k])}`;
  for (const k of ['alive', 'shielded'] as const) if (v[k] !== undefined && typeof v[k] !== 'boolean') return `${k}: expected a boolean when given, got ${JSON.stringify(v[k])}`;
  if (v.tags !== undefined && v.tags !== null && (typeof v.tags !== 'object' || Array.isArray(v.tags))) return 'tags: expected an object of strings, numbers and booleans';
  return null;
}

/** Write a ghost's published fields into `b` (the body kept for that ghost id). */
export function setGhostBody(b: Body, g: GhostBody): void {
  b.x = g.x;
  b.y = g.y;
  b.vx = g.vx ?? 0;
  b.vy = g.vy ?? 0;
  b.heading = g.heading ?? 0;
  b.radius = g.radius;
  b.speed = g.speed ?? 0;
  b.hp = g.hp;
  b.maxHp = g.maxHp;
  b.alive = g.alive ?? g.hp > 0;
  b.faction = g.faction;
}
