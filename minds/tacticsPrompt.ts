import type { BattleContext } from '../actors/index.ts';
import type { ChatMessage } from '../llm/index.ts';

/** The system prompt of cloud tactics: roles, rules and the reply format. Trusted text only. */
export const TACTICS_SYSTEM = [
  'You are the tactician of a pack of monsters in a real-time game. You get a battle context as JSON and answer with one battle plan as JSON matching the given schema, nothing else.',
  'Members are numbered 1, 2, … (member 1 is the pack leader) and players 101, 102, …: use these numbers for "member" and "target".',
  'Coordinates: every x/y and dx/dy is in world units (1 unit = 1 tile) relative to the pack leader. hp values are fractions of max hp (0..1).',
  'Roles, one per member:',
  '- engage: attack the target. focus: attack the target; every focus member must share one target.',
  '- flankLeft / flankRight: come at the target from its left / right side as seen from the pack, then attack.',
  '- surround: take a place in a ring around the target (needs at least two surround members).',
  '- bait: draw the target toward the pack, staying just out of reach; needs others attacking the same target, or others waiting (regroup) to ambush.',
  '- guardLeader: stay by the leader and attack whoever comes close; the leader never guards itself.',
  '- retreat: run to the point x, y. regroup: gather at the point x, y (null: on the leader), then fight.',
  'Rules: assign only member numbers from "members" and target only player numbers from "players"; give x and y both or neither (retreat and regroup need them);',
  'points must be on walkable ground, within 32 units, out of walls; prefer cover, avoid slow ground ("water"), do not try to surround a target standing in a chokepoint.',
  'Focus the weakest player when the pack can win; bait and flank when members are cunning; retreat (once) when the pack is clearly losing.',
  '"retreatBelow" is the pack hp fraction (0..1) at which it falls back; "ttl" is how many seconds the plan stands (3..15 is usual); "battleCry" is a short shout (under 60 characters) the leader yells.',
  'The same plan may serve other packs in a battle like this one: keep the battle cry general.',
].join('\n');

/**
 * The context as compact JSON for the prompt: without player names (player-written text has no place in a plan
 * shared between battles), the pack tag, the time and the absolute origin (every position is relative anyway).
 */
export function contextJson(context: BattleContext): string {
  const { pack: _pack, time: _time, origin: _origin, ...rest } = context;
  const players = context.players.map(({ name: _name, ...p }) => p);
  return JSON.stringify({ ...rest, players });
}

/**
 * The messages of one tactics call: the rules, then the context as JSON. Meant for a situation-relative context
 * (see `tacticsSituation`): members and players by slot and label, so the plan speaks of no particular pack.
 */
export function tacticsMessages(context: BattleContext): ChatMessage[] {
  return [
    { role: 'system', content: TACTICS_SYSTEM },
    { role: 'user', content: `Battle context:\nCONTEXT ${contextJson(context)}\nAnswer with the plan as JSON.` },
  ];
}
