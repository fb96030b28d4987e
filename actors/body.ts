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
