import type { ActorContext } from '../behaviour.ts';
import type { Body } from '../body.ts';
import type { Effect } from '../effects.ts';
import { MIND_PORTS } from '../ports.ts';
import type { Decision, OrderKind, Perception, Personality, Persona, Traits } from '../ports.ts';
import { whereWords } from './chatMemory.ts';

/** Traits of a monster whose personality has not arrived (or could not be had): middling in everything. */
export const NEUTRAL_TRAITS: Traits = Object.freeze({ aggression: 0.5, courage: 0.5, sociability: 0.5, greed: 0.5, curiosity: 0.5, cunning: 0.5 });

/** Numbers of the seeded latent sent with a personality request. */
const LATENT_SIZE = 8;

/** The layer-2 request sent once after spawn: species, biome and a seeded latent (same seed, same monster). */
export function askPersonality(ctx: ActorContext<unknown>, timeout: number): Effect {
  const latent: number[] = [];
  for (let i = 0; i < LATENT_SIZE; i++) latent.push(ctx.rng.next());
  return {
    type: 'ask',
    port: MIND_PORTS.personality,
    payload: { species: String(ctx.tags.species ?? 'unknown'), biome: String(ctx.tags.biome ?? 'grassland'), latent },
    timeout,
  };
}

/** Bearing of (dx, dy) relative to a heading, in −π..π. */
function bearing(dx: number, dy: number, heading: number): number {
  let a = Math.atan2(dy, dx) - heading;
  while (a > Math.PI) a -= 2 * Math.PI;
  while (a < -Math.PI) a += 2 * Math.PI;
  return a;
}

/** What a monster perceives, as the numbers the layer-3 policy reads. */
export function perceive(ctx: ActorContext<unknown>, me: Readonly<Body>, radius: number, threat: Readonly<Body> | undefined, lastHitAt: number, order: OrderKind = 'none'): Perception {
  let ally: Readonly<Body> | undefined;
  let allyD2 = Infinity;
  let pack = 0;
  for (const b of ctx.within(me.x, me.y, radius)) {
    if (b.id === me.id || b.faction !== me.faction) continue;
    pack++;
    const d2 = (b.x - me.x) ** 2 + (b.y - me.y) ** 2;
    if (d2 < allyD2) {
      allyD2 = d2;
      ally = b;
    }
  }
  const ts = ctx.terrain.tileSize;
  const tx = Math.floor(me.x / ts);
  const ty = Math.floor(me.y / ts);
  const cost = ctx.terrain.moveCost(tx, ty);
  return {
    threatDist: threat ? Math.hypot(threat.x - me.x, threat.y - me.y) : -1,
    threatBearing: threat ? bearing(threat.x - me.x, threat.y - me.y, me.heading) : 0,
    allyDist: ally ? Math.sqrt(allyD2) : -1,
    allyBearing: ally ? bearing(ally.x - me.x, ally.y - me.y, me.heading) : 0,
    health: me.maxHp > 0 ? me.hp / me.maxHp : 0,
    targetHealth: threat && threat.maxHp > 0 ? threat.hp / threat.maxHp : 1,
    packNearby: pack,
    terrainCost: Number.isFinite(cost) ? cost : 1,
    cover: ctx.terrain.cover?.(tx, ty) ?? 0,
    sinceHit: Math.min(60, ctx.time - lastHitAt),
    order,
  };
}

/** A usable decision from a think reply, or null for garbage. */
export function decisionOf(value: unknown): Decision | null {
  const d = value as Partial<Decision> | null;
  return d && typeof d.action === 'string' && typeof d.confidence === 'number' ? (d as Decision) : null;
}

/** A usable personality from a reply, or null for garbage. */
export function personalityOf(value: unknown): Personality | null {
  const p = value as Partial<Personality> | null;
  const t = p?.traits as Partial<Traits> | undefined;
  if (!p || !t || typeof p.temperament !== 'string' || typeof p.voice !== 'string') return null;
  for (const k of Object.keys(NEUTRAL_TRAITS) as (keyof Traits)[]) if (typeof t[k] !== 'number' || !Number.isFinite(t[k])) return null;
  return p as Personality;
}

/** Who the monster is, for its lines. */
export function personaOf(ctx: ActorContext<unknown>, personality: Personality | null): Persona {
  const species = String(ctx.tags.species ?? 'creature');
  const knows: string[] = [];
  if (ctx.tags.biome) knows.push(`I roam the ${String(ctx.tags.biome)} here`);
  if (ctx.tags.pack) knows.push(`I run with my pack`);
  if (ctx.body) knows.push(`my den lies ${whereWords(ctx, ctx.body.homeX, ctx.body.homeY)}`);
  return {
    name: String(ctx.tags.name ?? species),
    role: String(ctx.tags.label ?? species),
    knows,
    mood: personality?.temperament ?? 'wary',
    ...(personality && { voice: personality.voice }),
    species,
  };
}

