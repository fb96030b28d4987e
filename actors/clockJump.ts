import type { World } from './world.ts';

/**
 * Move a world's clock forward to `tick` without stepping it: a zone woken from a snapshot taken long ago catches up
 * with its world's clock, so actors arriving from zones that kept running find times they agree with. Nothing
 * happens in between (the zone slept); timers and asks that fell due meanwhile fire at the next step.
 */
export function advanceClock(world: World, tick: number): void {
  if (!Number.isInteger(tick) || tick < world.tick) throw new RangeError(`advanceClock: tick must be an integer >= the world's tick ${world.tick}, got ${tick}`);
  world.tick = tick;
  world.time = tick * world.config.dt;
}
