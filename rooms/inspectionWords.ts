import type { ActorId, World } from '../actors/index.ts';
import { actorName, packName } from './actorNames.ts';

/**
 * Turning an actor's raw state into the rows a person reads: simulation times (float seconds) as ticks ("in 12 ticks",
 * "40 ticks ago"), actor ids as names, pack tags as pack names.
 */

/** One labelled line of an inspector section. */
export interface Row {
  readonly label: string;
  readonly value: string;
}

/** Keys of state fields that hold a simulation time in seconds. */
const TIME_KEY = /^(?:next[A-Z]\w*|last[A-Z]\w*At|\w+Until|until|\w+At|at|since|time)$/;
/** Keys of state fields that hold an actor id. */
const ACTOR_KEY = /^(?:target|chatWith|leader|from|attacker|actor|member|player|self|follow|guarding|threat)$/;
/** Keys of state fields that hold a pack tag. */
const PACK_KEY = /^(?:pack|packTag)$/;

/** A simulation time (seconds) as a tick number. */
export function tickOf(world: World, seconds: number): number {
  return Math.round(seconds / world.config.dt);
}

/** A simulation time relative to now in ticks: "in 12 ticks (tick 1012)", "40 ticks ago (tick 960)", "now". */
export function whenWords(world: World, seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'never';
  const tick = tickOf(world, seconds);
  const d = tick - world.tick;
  if (d === 0) return `now (tick ${tick})`;
  return d > 0 ? `in ${d} tick${d === 1 ? '' : 's'} (tick ${tick})` : `${-d} tick${d === -1 ? '' : 's'} ago (tick ${tick})`;
}

/** A duration in seconds as ticks: "40 ticks". */
export function ticksWords(world: World, seconds: number): string {
  const n = Math.round(seconds / world.config.dt);
  return `${n} tick${n === 1 ? '' : 's'}`;
}

/** An actor id in words: "Grak (#12)", "no one" for 0. */
export function actorWords(world: World, id: ActorId): string {
  return id ? `${actorName(world, id)} (#${id})` : 'no one';
}

/** Labels people read, from camelCase keys: `nextAttack` → "next attack". */
export function labelOf(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A scalar (or short list) field in words, by what its key says it holds; undefined for what is shown elsewhere. */
export function valueWords(world: World, key: string, v: unknown): string | undefined {
  if (v === null || v === undefined) return key === 'order' || key === 'decision' ? 'none' : undefined;
  if (typeof v === 'number') {
    if (TIME_KEY.test(key)) return key.startsWith('next') && tickOf(world, v) <= world.tick ? 'due' : whenWords(world, v);
    if (ACTOR_KEY.test(key) && Number.isInteger(v)) return actorWords(world, v);
    return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
  }
  if (typeof v === 'string') return PACK_KEY.test(key) && v ? packName(world, v) : v || '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) {
    if (v.length === 0) return 'none';
    if (v.every((x) => typeof x === 'number' && Number.isInteger(x)) && /s$/.test(key) && /mate|member|player|children|fired|ids/i.test(key)) return v.map((x) => actorWords(world, x as number)).join(', ');
    if (v.every((x) => typeof x === 'string')) return (v as string[]).join(', ');
    return `${v.length} item${v.length === 1 ? '' : 's'}`;
  }
  return undefined;
}

/** Rows for every scalar field of a state object, in key order, skipping `skip` (shown in their own sections). */
export function stateRows(world: World, state: unknown, skip: ReadonlySet<string>): Row[] {
  if (!state || typeof state !== 'object') return state === null || state === undefined ? [] : [{ label: 'state', value: String(state) }];
  const rows: Row[] = [];
  for (const [k, v] of Object.entries(state as Record<string, unknown>)) {
    if (skip.has(k)) continue;
    const value = valueWords(world, k, v);
    if (value !== undefined) rows.push({ label: labelOf(k), value });
  }
  return rows;
}

const COMPASS = ['east', 'south-east', 'south', 'south-west', 'west', 'north-west', 'north', 'north-east'];

/** Where (x, y) is, in words: "in the forest, 34 tiles north-east of the centre". North is −y, as on screen. */
export function whereWords(x: number, y: number, biome: string | undefined): string {
  const d = Math.hypot(x, y);
  const dir = COMPASS[((Math.round(Math.atan2(y, x) / (Math.PI / 4)) % 8) + 8) % 8] as string;
  const from = d < 2 ? 'at the centre of the world' : `${Math.round(d)} tiles ${dir} of the centre`;
  return biome ? `in the ${biome.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}, ${from}` : from;
}
