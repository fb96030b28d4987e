import type { WorldInput } from '../inputs.ts';
import type { Actor, World } from '../world.ts';
import { liveActors } from '../world.ts';
import { isShielded } from '../shield.ts';
import type { GhostBody } from './ghostBody.ts';

/** What a neighbour sees of `actor` as a ghost (null for a bodiless actor). */
export function ghostOf(world: World, actor: Actor): GhostBody | null {
  const b = actor.body;
  if (!b) return null;
  return {
    id: actor.id, kind: actor.kind, x: b.x, y: b.y, vx: b.vx, vy: b.vy, heading: b.heading, radius: b.radius, speed: b.speed,
    hp: b.hp, maxHp: b.maxHp, alive: b.alive, faction: b.faction, tags: actor.tags, shielded: isShielded(world, actor.id),
  };
}

/**
 * This world's own actors with a body inside the rectangle [x0, x1) × [y0, y1) (world units), ascending id: the
 * margin a zone publishes to the neighbour beyond that edge (a `ghosts` input there).
 */
export function ghostsWithin(world: World, x0: number, y0: number, x1: number, y1: number): GhostBody[] {
  const out: GhostBody[] = [];
  const order = liveActors(world);
  for (let i = 0; i < order.length; i++) {
    const a = order[i] as Actor;
    const b = a.body;
    if (!b || b.x < x0 || b.x >= x1 || b.y < y0 || b.y >= y1) continue;
    const g = ghostOf(world, a);
    if (g) out.push(g);
  }
  return out;
}

/**
 * The ghosts this world holds, as the `ghosts` inputs that would recreate them. Snapshots leave ghosts out: a host
 * that restores a zone and replays its recording window puts these (taken at capture) before the window's first
 * step, and the replay sees the same margin the live zone saw.
 */
export function ghostInputs(world: World): WorldInput[] {
  return world.ghosts.published().map(({ source, ghosts }) => ({ type: 'ghosts', source, ghosts }));
}
