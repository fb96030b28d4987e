import type { Rng } from '../../shared/index.ts';
import type { BotBehaviour } from './behaviour.ts';

/** How far (world units) a talker looks for someone to talk to. */
const EAR = 20;

const OPENERS = ['Hello', 'Greetings', 'Hey there', 'Well met', 'Excuse me', 'Good evening', 'Oi', 'Pardon me'];
const ASKS = [
  'do you know the way to the old mine?',
  'have you seen any treasure around here?',
  'are you friendly?',
  'what is your name?',
  'I come in peace.',
  'I will fight you!',
  'can you help me?',
  'where is your pack?',
  'is it safe to rest here?',
  'would you trade with me?',
  'leave now or regret it.',
  'what do you fear?',
];
const NAMES = ['friend', 'beast', 'stranger', 'old one', 'little one', 'traveller'];

/** A varied chat line from the bot's seeded stream. */
export function talkLine(rng: Rng): string {
  return `${rng.pick(OPENERS)}, ${rng.pick(NAMES)}, ${rng.pick(ASKS)}`;
}

/**
 * Talks to NPCs: every 3 s says a varied line to the nearest creature in view (monster or NPC); with none near,
 * walks in a random direction to find one.
 */
export const talker: BotBehaviour = {
  name: 'talker',
  everyMs: 3000,
  decide(view, rng) {
    if (!view.self()) return [];
    const someone = view.nearest('npc', EAR) ?? view.nearest('monster', EAR);
    if (someone) return [{ type: 'move', dir: { x: 0, y: 0 } }, { type: 'talk', to: someone.id, text: talkLine(rng) }];
    const angle = rng.float(0, Math.PI * 2);
    return [{ type: 'move', dir: { x: Math.cos(angle), y: Math.sin(angle) } }];
  },
};
