import type { BotBehaviour, BotBehaviourName } from './behaviour.ts';
import { fighter } from './fighter.ts';
import { idler } from './idler.ts';
import { talker } from './talker.ts';
import { wanderer } from './wanderer.ts';

/** The built-in bot behaviours by name. */
export const BOT_BEHAVIOURS: Readonly<Record<BotBehaviourName, BotBehaviour>> = { wanderer, fighter, talker, idler };

export const BOT_BEHAVIOUR_NAMES = Object.keys(BOT_BEHAVIOURS) as BotBehaviourName[];

/** True when `name` is a built-in behaviour. */
export function isBotBehaviourName(name: string): name is BotBehaviourName {
  return Object.hasOwn(BOT_BEHAVIOURS, name);
}
