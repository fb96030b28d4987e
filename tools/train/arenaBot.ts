import type { Behaviour } from '../../actors/index.ts';

/** Whom a bot hits: the nearest monster, or the weakest (lowest hp) within its sight. */
export type BotFocus = 'nearest' | 'weakest';

export interface ArenaBotParams {
  readonly damage: number;
  readonly cooldown: number;
  readonly range: number;
  readonly focus: BotFocus;
  /** Sight radius (world units). */
  readonly sight: number;
}

interface BotState {
  readonly nextAttack: number;
  readonly target: number;
}

/**
 * A scripted player for headless battles: walks to its target (the nearest monster in sight, or the weakest) and
 * hits it whenever the cooldown allows. A weakest-first bot keeps its target while it lives and stays in sight.
 */
export const arenaBotBehaviour: Behaviour<BotState, ArenaBotParams> = {
  name: 'bot',
  init: () => ({ nextAttack: 0, target: 0 }),
  receive(state, message, ctx) {
    if (message.type !== 'tick') return { state };
    const me = ctx.body;
    if (!me || !me.alive) return { state };
    const p = ctx.params;
    let t = p.focus === 'weakest' && state.target ? ctx.bodyOf(state.target) : undefined;
    if (!t || !t.alive || (t.x - me.x) ** 2 + (t.y - me.y) ** 2 > p.sight * p.sight) {
      t = undefined;
      if (p.focus === 'weakest') {
        for (const c of ctx.within(me.x, me.y, p.sight)) if (c.faction !== me.faction && c.alive && (!t || c.hp < t.hp)) t = c;
      } else {
        t = ctx.nearest(p.sight, (c, self) => c.faction !== self.faction);
      }
    }
    if (!t) return me.vx || me.vy ? { state, effects: [{ type: 'move', vx: 0, vy: 0 }] } : { state };
    const next = t.id === state.target ? state : { ...state, target: t.id };
    const dx = t.x - me.x;
    const dy = t.y - me.y;
    const d = Math.hypot(dx, dy);
    const reach = p.range + me.radius + t.radius;
    if (d <= reach) {
      const stop: { type: 'move'; vx: number; vy: number }[] = me.vx || me.vy ? [{ type: 'move', vx: 0, vy: 0 }] : [];
      if (ctx.time >= next.nextAttack) {
        return { state: { ...next, nextAttack: ctx.time + p.cooldown }, effects: [...stop, { type: 'attack', target: t.id, damage: p.damage, range: p.range }] };
      }
      return { state: next, effects: stop };
    }
    return { state: next, effects: [{ type: 'move', vx: (dx / d) * me.speed, vy: (dy / d) * me.speed }] };
  },
};
