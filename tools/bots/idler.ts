import type { BotBehaviour } from './behaviour.ts';

/** Stands still: joins, decodes patches and answers nothing but the bot's pings (the cost of a lurker). */
export const idler: BotBehaviour = {
  name: 'idler',
  everyMs: 5000,
  decide: () => [],
};
