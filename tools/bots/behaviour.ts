import type { Rng } from '../../shared/index.ts';
import type { BotView } from './botView.ts';

/** What a bot may do on one decision: the same messages a game client sends. */
export type BotAction =
  | { readonly type: 'move'; readonly dir: { readonly x: number; readonly y: number } }
  | { readonly type: 'move'; readonly to: { readonly x: number; readonly y: number } }
  | { readonly type: 'attack'; readonly target: number }
  | { readonly type: 'talk'; readonly to: number; readonly text: string };

/** Names of the built-in bot behaviours. */
export type BotBehaviourName = 'wanderer' | 'fighter' | 'talker' | 'idler';

/**
 * How a bot plays. `decide` runs every `everyMs` (the first one after a seeded random fraction of it, so bots
 * started together do not act in step) and returns the actions to send, possibly none. `memory` is the bot's
 * own scratch object; `rng` is the bot's seeded stream.
 */
export interface BotBehaviour {
  readonly name: BotBehaviourName;
  /** Milliseconds between decisions. */
  readonly everyMs: number;
  decide(view: BotView, rng: Rng, memory: Record<string, unknown>): readonly BotAction[];
}
