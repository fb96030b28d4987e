import type { BotBehaviour } from './behaviour.ts';

/** Walks about: every 1.5 s a new random direction, now and then a pause. */
export const wanderer: BotBehaviour = {
  name: 'wanderer',
  everyMs: 1500,
  decide(_view, rng) {
    if (rng.chance(0.15)) return [{ type: 'move', dir: { x: 0, y: 0 } }];
    const angle = rng.float(0, Math.PI * 2);
    return [{ type: 'move', dir: { x: Math.cos(angle), y: Math.sin(angle) } }];
  },
};
