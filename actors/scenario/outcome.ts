import type { World } from '../world.ts';
import { isNamed } from './director.ts';
import type { Rect } from './scenarioSite.ts';

/** An end condition in absolute terms (see planScenario): `packDefeated` becomes `packBelow` 1. */
export type ResolvedCondition =
  | { readonly packBelow: { readonly pack: string; readonly members: number } }
  | { readonly playersDead: true }
  | { readonly playerEnters: Rect }
  | { readonly afterTick: number };

/** How a headless run ended. */
export interface Outcome {
  readonly result: 'win' | 'lose';
  /** Which condition decided, e.g. `win[0]: packBelow s:wolves 1`. */
  readonly reason: string;
  readonly tick: number;
}

/**
 * Check a scenario's win and lose conditions against the world (win first; the first condition met decides).
 * Null while neither holds. Reads the world only, so a run and its replay end on the same tick.
 */
export function checkOutcome(world: World, win: readonly ResolvedCondition[], lose: readonly ResolvedCondition[], startTick = 0): Outcome | null {
  for (const [side, list] of [['win', win], ['lose', lose]] as const) {
    for (let i = 0; i < list.length; i++) {
      const c = list[i] as ResolvedCondition;
      if (holds(world, c, startTick)) return { result: side, reason: `${side}[${i}]: ${describe(c)}`, tick: world.tick };
    }
  }
  return null;
}

function holds(world: World, c: ResolvedCondition, startTick: number): boolean {
  if ('afterTick' in c) return world.tick - startTick >= c.afterTick;
  if ('playersDead' in c) {
    if (world.players.size === 0) return false;
    for (const id of world.players) if (world.actors.get(id)?.body?.alive) return false;
    return true;
  }
  if ('playerEnters' in c) {
    const r = c.playerEnters;
    for (const id of world.players) {
      const b = world.actors.get(id)?.body;
      if (b?.alive && b.x >= r.x && b.x < r.x + r.w && b.y >= r.y && b.y < r.y + r.h) return true;
    }
    return false;
  }
  let alive = 0;
  for (const a of world.actors.values()) if (a.body?.alive && isNamed(a.tags, c.packBelow.pack)) alive++;
  return alive < c.packBelow.members;
}

function describe(c: ResolvedCondition): string {
  if ('afterTick' in c) return `afterTick ${c.afterTick}`;
  if ('playersDead' in c) return 'playersDead';
  if ('playerEnters' in c) return `playerEnters ${c.playerEnters.x},${c.playerEnters.y} ${c.playerEnters.w}x${c.playerEnters.h}`;
  return c.packBelow.members === 1 ? `packDefeated ${c.packBelow.pack}` : `packBelow ${c.packBelow.pack} ${c.packBelow.members}`;
}
