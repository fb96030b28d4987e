import { z } from 'zod';
import type { ActorContext, Behaviour, Transition } from '../behaviour.ts';
import type { Body } from '../body.ts';
import type { Effect } from '../effects.ts';
import type { SpawnSpec } from '../spawnSpec.ts';
import type { Rect } from './scenarioSite.ts';

/** When a trigger fires, in absolute terms (ticks from the director's start; world units). */
export type DirectorWhen =
  | { readonly atTick: number }
  | { readonly playerEnters: Rect }
  | { readonly packBelow: { readonly pack: string; readonly members: number } };

/** What a trigger does. Pack names are pack tags (`<instance>:<id>`). */
export type DirectorAction =
  | { readonly spawn: readonly SpawnSpec[] }
  | { readonly alert: string }
  | { readonly signal: { readonly pack: string; readonly topic: string; readonly data?: string | number | boolean } }
  | { readonly say: string };

export interface DirectorTrigger {
  readonly id: string;
  readonly once: boolean;
  readonly when: DirectorWhen;
  readonly do: readonly DirectorAction[];
}

/** Parameters of a director: the scenario's triggers, already placed (see planScenario). */
export interface DirectorParams {
  readonly instance: string;
  readonly triggers: readonly DirectorTrigger[];
  /** Pack members are looked for within this circle (world units). */
  readonly scan: { readonly x: number; readonly y: number; readonly radius: number };
  /** Pack conditions are checked every this many ticks. */
  readonly checkEvery: number;
}

const RectSchema = z.object({ x: z.number(), y: z.number(), w: z.number().positive(), h: z.number().positive() });

/** Light shape check: the specs inside were produced (and validated) by planScenario. */
export const DirectorParamsSchema = z.object({
  instance: z.string().min(1).max(64),
  triggers: z.array(z.object({
    id: z.string(),
    once: z.boolean(),
    when: z.union([
      z.object({ atTick: z.number().int().min(0) }),
      z.object({ playerEnters: RectSchema }),
      z.object({ packBelow: z.object({ pack: z.string(), members: z.number().int().min(0) }) }),
    ]),
    do: z.array(z.record(z.string(), z.unknown())),
  })).max(256),
  scan: z.object({ x: z.number(), y: z.number(), radius: z.number().positive().max(4096) }),
  checkEvery: z.number().int().min(1).max(600),
});

export interface DirectorState {
  /** Tick the director started on; `atTick` counts from here. */
  readonly startTick: number;
  /** Triggers that fired (and, for `once`, will not fire again). */
  readonly fired: readonly string[];
  /** Conditions true on the last check, so a repeating trigger fires on each rising edge only. */
  readonly active: readonly string[];
}

/** A pack member: its `pack` tag is the pack's tag, or `<tag>/<k>` for one of several scattered packs. */
export function inPack(tag: string | number | boolean | undefined, pack: string): boolean {
  return typeof tag === 'string' && (tag === pack || (tag.startsWith(pack) && tag.charAt(pack.length) === '/'));
}

/**
 * Whether an actor with `tags` is what a scenario name (as a tag, `<instance>:<id>`) stands for: a member of that
 * pack, or the NPC of that id. NPCs carry their name in a `ref` tag, not a `pack` tag: a pack tag would make
 * the coordinator take them for a fighting pack.
 */
export function isNamed(tags: Readonly<Record<string, string | number | boolean>> | null | undefined, name: string): boolean {
  return !!tags && (inPack(tags.pack, name) || tags.ref === name);
}

/**
 * The scenario director: a bodiless actor that runs a scenario's triggers inside the simulation, so they are as
 * deterministic and replayable as everything else. Each tick it checks tick triggers and player regions; pack
 * sizes every `checkEvery` ticks. A fired trigger spawns (as the director's children), turns a pack on the
 * nearest player, signals a pack, or says a narrator line.
 */
export const directorBehaviour: Behaviour<DirectorState, DirectorParams> = {
  name: 'director',
  params: DirectorParamsSchema as unknown as z.ZodType<DirectorParams>,
  init: (ctx) => ({ startTick: ctx.tick, fired: [], active: [] }),
  receive(state, message, ctx) {
    if (message.type !== 'tick') return { state };
    const elapsed = ctx.tick - state.startTick;
    const checkPacks = elapsed % ctx.params.checkEvery === 0;
    let effects: Effect[] | undefined;
    let fired = state.fired;
    let active = state.active;
    for (const t of ctx.params.triggers) {
      if (t.once && fired.includes(t.id)) continue;
      const w = t.when;
      if ('packBelow' in w && !checkPacks) continue;
      const now = holds(w, elapsed, ctx);
      const was = active.includes(t.id);
      if (now !== was) active = now ? [...active, t.id] : active.filter((a) => a !== t.id);
      if (!now || was) continue;
      if (!fired.includes(t.id)) fired = [...fired, t.id];
      effects ??= [];
      for (const a of t.do) perform(a, ctx, effects);
    }
    if (fired === state.fired && active === state.active) return { state };
    return { state: { ...state, fired, active }, ...(effects && { effects }) } as Transition<DirectorState>;
  },
};

function holds(w: DirectorWhen, elapsed: number, ctx: ActorContext<DirectorParams>): boolean {
  if ('atTick' in w) return elapsed >= w.atTick;
  if ('playerEnters' in w) {
    const r = w.playerEnters;
    return ctx.players().some((p) => p.x >= r.x && p.x < r.x + r.w && p.y >= r.y && p.y < r.y + r.h);
  }
  return members(ctx, w.packBelow.pack).length < w.packBelow.members;
}

/** Living members of a pack (or the NPC of that name) within the director's scan circle, in ascending id. */
function members(ctx: ActorContext<DirectorParams>, pack: string): Readonly<Body>[] {
  const s = ctx.params.scan;
  return ctx.within(s.x, s.y, s.radius).filter((b) => isNamed(ctx.tagsOf(b.id), pack));
}

function perform(a: DirectorAction, ctx: ActorContext<DirectorParams>, effects: Effect[]): void {
  if ('spawn' in a) {
    for (const spec of a.spawn) effects.push({ type: 'spawn', spec });
  } else if ('alert' in a) {
    const players = ctx.players();
    if (players.length === 0) return;
    for (const m of members(ctx, a.alert)) {
      let best = players[0] as Readonly<Body>;
      let bestD = Infinity;
      for (const p of players) {
        const d = (p.x - m.x) ** 2 + (p.y - m.y) ** 2;
        if (d < bestD) {
          best = p;
          bestD = d;
        }
      }
      effects.push({ type: 'send', to: m.id, message: { type: 'signal', topic: 'help', from: ctx.self, data: best.id } });
    }
  } else if ('signal' in a) {
    for (const m of members(ctx, a.signal.pack)) {
      effects.push({ type: 'send', to: m.id, message: { type: 'signal', topic: a.signal.topic, from: ctx.self, ...(a.signal.data !== undefined && { data: a.signal.data }) } });
    }
  } else {
    effects.push({ type: 'emit', event: { kind: 'say', text: a.say } });
  }
}
