import type { ActorId, World } from '../actors/index.ts';
import { packDisplayName } from '../shared/index.ts';

/** An actor by name, as the inspector shows it. */
export interface NamedActor {
  readonly id: ActorId;
  /** Its `name` tag, else its species or kind ("a wolf"), else `#id`. */
  readonly name: string;
}

/** The name people know actor `id` by: its `name` tag, else "a <species>", else "#id" (gone actors too). */
export function actorName(world: World, id: ActorId): string {
  const tags = world.actors.get(id)?.tags;
  if (typeof tags?.name === 'string' && tags.name) return tags.name;
  const kind = tags?.species ?? tags?.label;
  return typeof kind === 'string' && kind ? `a ${kind}` : `#${id}`;
}

/** `{ id, name }` for an actor id, or null for 0 (no one). */
export function named(world: World, id: ActorId | null | undefined): NamedActor | null {
  return id ? { id, name: actorName(world, id) } : null;
}

/**
 * A pack's display name from its tag (`pack:-1:0:0`, `s:chief`): its leader's (the lowest living member's) name and
 * species, e.g. "Grak's bandits"; a pack with no one left is named after any member. Looks through every actor.
 */
export function packName(world: World, tag: string): string {
  let leader: ActorId = 0, any: ActorId = 0;
  for (const a of world.actors.values()) {
    const p = a.tags?.pack;
    if (typeof p !== 'string' || (p !== tag && !(p.startsWith(tag) && p.charAt(tag.length) === '/'))) continue;
    if (!any || a.id < any) any = a.id;
    if (a.body?.alive && (!leader || a.id < leader)) leader = a.id;
  }
  const who = leader || any;
  const tags = who ? world.actors.get(who)?.tags : undefined;
  return packDisplayName(typeof tags?.name === 'string' ? tags.name : '', typeof tags?.species === 'string' ? tags.species : '');
}
