import type { Outcome, Scenario } from '../../actors/index.ts';

type Condition = Scenario['outcome']['win'][number];

/** A scenario end condition in plain words, with the scenario's own names (`wolves defeated`). */
export function conditionWords(c: Condition): string {
  if (c.packDefeated !== undefined) return `${c.packDefeated} defeated`;
  if (c.packBelow) return `${c.packBelow.pack} down to fewer than ${c.packBelow.members} ${c.packBelow.members === 1 ? 'member' : 'members'}`;
  if (c.playersDead) return 'every player dead';
  if (c.playerEnters) return `a player reached the area at (${c.playerEnters.x}, ${c.playerEnters.y}), ${c.playerEnters.w}×${c.playerEnters.h}`;
  return `${c.afterTick ?? 0} ticks passed`;
}

/** Why a run ended, in words: the condition that decided (`wolves defeated (win condition 1)`). */
export function outcomeWords(scenario: Scenario, outcome: { readonly reason: Outcome['reason'] }): string {
  const m = /^(win|lose)\[(\d+)\]/.exec(outcome.reason);
  const c = m ? scenario.outcome[m[1] as 'win' | 'lose'][Number(m[2])] : undefined;
  return c ? `${conditionWords(c)} (${m![1]} condition ${Number(m![2]) + 1})` : outcome.reason;
}
