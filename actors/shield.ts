import type { ActorId } from './ids.ts';
import type { World } from './world.ts';

/**
 * Whether actor `id` is shielded now (its behaviour says so: spawn protection): a shielded body takes no damage
 * and its foes do not pick it as a target. Only players' avatars are ever shielded, so others cost one set lookup. A
 * ghost player is shielded as its own zone published it.
 */
export function isShielded(world: World, id: ActorId): boolean {
  if (!world.players.has(id)) return world.ghosts.players.has(id) && world.ghosts.get(id)?.shielded === true;
  const a = world.actors.get(id);
  return a !== undefined && a.behaviour.shielded !== undefined && a.behaviour.shielded(a.state, world.time);
}

/** Whether any player's avatar is shielded now (when none is, target searches need no extra check). */
export function anyShielded(world: World): boolean {
  for (const id of world.players) if (isShielded(world, id)) return true;
  for (const id of world.ghosts.players) if (world.ghosts.get(id)?.shielded) return true;
  return false;
}
