import type { ActorId, World } from '../../actors/index.ts';
import { countOf } from '../../shared/index.ts';

/** `#412–#414` for consecutive ids, else `#412, #415`. */
export function idList(ids: readonly ActorId[]): string {
  if (ids.length === 0) return '';
  const sorted = [...ids].sort((a, b) => a - b);
  const runs: string[] = [];
  let start = sorted[0] as number, prev = start;
  for (const id of [...sorted.slice(1), Number.NaN]) {
    if (id === prev + 1) {
      prev = id;
      continue;
    }
    runs.push(start === prev ? `#${start}` : prev === start + 1 ? `#${start}, #${prev}` : `#${start}–#${prev}`);
    start = prev = id;
  }
  return runs.join(', ');
}

/**
 * What a spawn made, in words: "Spawned 3 wolves (#412–#414) and Lute the bard (#415) near (10, -4)". Monsters are
 * counted by species, NPCs named with their role, anything else counted by kind.
 */
export function spawnMessage(world: World, ids: readonly ActorId[], near: { readonly x: number; readonly y: number }): string {
  const where = `near (${Math.round(near.x)}, ${Math.round(near.y)})`;
  if (ids.length === 0) return `Nothing was spawned ${where}: every spawn was refused (see the server log)`;
  const groups = new Map<string, { noun: string; ids: ActorId[]; named?: string }>();
  for (const id of ids) {
    const a = world.actors.get(id);
    const tags = a?.tags ?? {};
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    if (a?.kind === 'npc') {
      const role = str(tags.label);
      groups.set(`npc:${id}`, { noun: '', ids: [id], named: `${str(tags.name) || 'someone'}${role ? ` the ${role}` : ''}` });
      continue;
    }
    const noun = str(tags.species) || a?.kind || 'actor';
    const g = groups.get(noun) ?? { noun, ids: [] };
    g.ids.push(id);
    groups.set(noun, g);
  }
  const parts = [...groups.values()].map((g) => `${g.named ?? countOf(g.ids.length, g.noun)} (${idList(g.ids)})`);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) as string}` : (parts[0] as string);
  return `Spawned ${list} ${where}`;
}
