import type { BotAction, BotBehaviour } from './behaviour.ts';

/** Within this distance (world units, centre to centre) a fighter swings instead of walking closer. */
const REACH = 1.2;
/** How far (world units) a fighter looks for prey. */
const SIGHT = 30;
/** A roaming fighter that moved less than this (world units) since its last decision is blocked and turns. */
const STUCK = 0.2;

/**
 * Seeks monsters and attacks them: walks to the nearest living monster in view and attacks it when in reach;
 * with none in view it roams in a random direction until one appears, turning now and then and whenever a wall or
 * the world's edge stops it.
 */
export const fighter: BotBehaviour = {
  name: 'fighter',
  everyMs: 500,
  decide(view, rng, memory) {
    const me = view.self();
    if (!me) return [];
    const prey = view.nearest('monster', SIGHT);
    if (!prey) {
      const roam = (memory.roam as { x: number; y: number } | undefined) ?? null;
      const last = memory.last as { x: number; y: number } | undefined;
      memory.last = { x: me.x, y: me.y };
      const blocked = last !== undefined && Math.hypot(me.x - last.x, me.y - last.y) < STUCK;
      if (roam && !blocked && !rng.chance(0.1)) return [];
      const angle = rng.float(0, Math.PI * 2);
      const dir = { x: Math.cos(angle), y: Math.sin(angle) };
      memory.roam = dir;
      return [{ type: 'move', dir }];
    }
    memory.roam = undefined;
    memory.last = undefined;
    const d = Math.hypot(prey.x - me.x, prey.y - me.y);
    const actions: BotAction[] = [];
    if (d > REACH * 0.8) actions.push({ type: 'move', to: { x: prey.x, y: prey.y } });
    if (d <= REACH) actions.push({ type: 'attack', target: prey.id });
    return actions;
  },
};
