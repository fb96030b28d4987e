import type { ActorId } from './ids.ts';

/**
 * An actor's physical presence on the 2-D plane. Owned and mutated by the runtime only; behaviours see it
 * read-only. Positions are in world units (1 unit = 1 tile), velocities in units per second.
 */
export interface Body {
  readonly id: ActorId;
  x: number;
  y: number;
  vx: number;
  vy: number;
  /** Facing in radians (0 = +x). */
  heading: number;
  radius: number;
  /** Maximum speed in units per second. */
  speed: number;
  hp: number;
  maxHp: number;
  alive: boolean;
  faction: string;
  /** Where the body respawns. */
  homeX: number;
  homeY: number;
  /** Tick of the last change to position, health or life (lists the body once in a step's `changed`). */
  changedAt: number;
}

/** What a new body needs: where it stands and what it is (velocity and heading start at 0). */
export interface BodyInit {
  readonly x: number;
  readonly y: number;
  readonly radius: number;
  readonly speed: number;
  readonly hp: number;
  readonly maxHp: number;
  readonly faction: string;
}

/** A new body at rest; alive while `hp` > 0. Every body is made here, so all share one hidden class. */
export function newBody(id: ActorId, b: BodyInit): Body {
  return {
    id,
    x: b.x,
    y: b.y,
    vx: 0,
    vy: 0,
    heading: 0,
    radius: b.radius,
    speed: b.speed,
    hp: b.hp,
    maxHp: b.maxHp,
    alive: b.hp > 0,
    faction: b.faction,
    homeX: b.x,
    homeY: b.y,
    changedAt: 0,
  };
}

/**
 * Settle the bodies' hidden class before any body exists: V8 first types a number field as a small integer and
 * a field never written since its object was made as constant. The first fractional hit (hp 15 → 7.5) or the
 * first death in a room then changed the class of every body, and all the compiled code that reads bodies (the
 * step, the spatial hash, the projection, interest) was thrown away at once and recompiled: one or two ticks of
 * 20–30 ms in a 10,000-monster room, the first time a fight happened. One body made with fractions, then written
 * to where the runtime writes, takes those changes before any code is compiled. It is kept for the life of the
 * process: classes with no object left may be collected, and bodies made after that would start over.
 */
function settledBody(): Body {
  const b = newBody(0, { x: 0.5, y: 0.5, radius: 0.5, speed: 0.5, hp: 0.5, maxHp: 0.5, faction: '' });
  b.x = 1.5;
  b.y = 1.5;
  b.vx = 1.5;
  b.vy = 1.5;
  b.heading = 1.5;
  b.hp = 0.25;
  b.alive = false;
  b.changedAt = 1;
  return b;
}

/** Holds the settled class alive (see {@link settledBody}). */
export const SETTLED_BODY: Readonly<Body> = settledBody();
