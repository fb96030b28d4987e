import type { PlanSource } from '../../actors/index.ts';

type Tags = Readonly<Record<string, string | number | boolean>> | null | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * An actor in words, from its name tags: `Grak the wolf`, `traveller (player)`, `Mira the innkeeper`; the
 * species or kind alone when it has no name (`a wolf`). Never an internal id.
 */
export function actorName(kind: string, tags: Tags): string {
  const name = str(tags?.name);
  const label = (str(tags?.label) ?? str(tags?.species))?.toLowerCase();
  if (kind === 'player') return `${name ?? 'a player'} (player)`;
  if (name && label) return name.toLowerCase().includes(label) ? name : name.includes(' the ') ? `${name}, ${label}` : `${name} the ${label}`;
  return name ?? (label ? `a ${label}` : `a ${kind}`);
}

/**
 * A pack in words: its scenario id (`wolves`, `flankers #2` for the second of scattered packs) when the scenario
 * named it, else its species (`wolf pack`). `scenarioIds` maps pack tags (`s:wolves`) to scenario ids.
 */
export function packName(tag: string, species: string | undefined, scenarioIds: ReadonlyMap<string, string>): string {
  const slash = tag.lastIndexOf('/');
  const base = slash > 0 ? tag.slice(0, slash) : tag;
  const id = scenarioIds.get(base);
  const kind = species ? `${species.toLowerCase()} pack` : 'pack';
  if (!id) return kind;
  const copy = slash > 0 ? Number(tag.slice(slash + 1)) : NaN;
  return Number.isInteger(copy) ? `${id} #${copy + 1}` : id;
}

/** Where a plan came from, in plain words: `the local tactician`, `openai (gpt-4o-mini), from the cache`. */
export function planSourceWords(source: PlanSource | undefined): string {
  if (!source || source.provider === 'tactician') return 'the local tactician';
  const model = source.model && source.model !== source.provider ? ` (${source.model})` : '';
  return `${source.provider}${model}${source.cached ? ', from the cache' : ''}`;
}
