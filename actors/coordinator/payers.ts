import type { Body } from '../body.ts';
import type { PlanPayer } from './plan.ts';

/** Most payers a plan request names (the nearest ones). */
export const MAX_PAYERS = 16;

/** A player in a battle: its body and its tags (the room tags avatars with `account` and `tier`). */
export interface BattlePlayer {
  readonly body: Readonly<Body>;
  readonly tags: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The identified players of a battle who may pay for its plan, nearest the pack first (distance to the nearest
 * living member; ties by actor id), at most {@link MAX_PAYERS}. Players without a string `account` and `tier` tag
 * (spawned by a scenario, not by a client) are not payers.
 */
export function battlePayers(players: readonly BattlePlayer[], members: readonly Readonly<Body>[]): PlanPayer[] {
  const ranked: { id: number; d2: number; payer: PlanPayer }[] = [];
  for (const p of players) {
    const { account, tier } = p.tags;
    if (typeof account !== 'string' || typeof tier !== 'string' || !account || !tier) continue;
    let d2 = Number.POSITIVE_INFINITY;
    for (const m of members) d2 = Math.min(d2, (m.x - p.body.x) ** 2 + (m.y - p.body.y) ** 2);
    ranked.push({ id: p.body.id, d2, payer: { account, tier } });
  }
  ranked.sort((a, b) => a.d2 - b.d2 || a.id - b.id);
  return ranked.slice(0, MAX_PAYERS).map((r) => r.payer);
}
