import { Rng } from '../shared/index.ts';
import type { WorldInput } from './inputs.ts';
import type { SpawnSpec } from './spawnSpec.ts';

/** Options for {@link demoSpawns}. */
export interface DemoSpawnOptions {
  readonly seed: string | number;
  /** Number of monsters. */
  readonly count: number;
  /** Area to scatter them over, in world units, from (0, 0). */
  readonly width: number;
  readonly height: number;
  /** Factions to split them between (default two rival ones, so they fight). */
  readonly factions?: readonly string[];
}

/**
 * Spawn inputs for `count` monsters scattered uniformly over a rectangle, split between rival factions that
 * share one params object per faction. For flat test worlds and benchmarks; the procedural world places
 * monsters from its own bases.
 */
export function demoSpawns(opts: DemoSpawnOptions): WorldInput[] {
  const rng = Rng.create(opts.seed).fork('demo-spawns');
  const factions = opts.factions ?? ['wolves', 'goblins'];
  // Reflexes only (no personality, no layer-3 activation): the runtime's own cost, as the actors benchmark measures it.
  const params = factions.map(() => ({ perception: 6, damage: 12, cooldown: 1, respawnDelay: 8, personality: false, activation: 0 }));
  const inputs: WorldInput[] = [];
  for (let i = 0; i < opts.count; i++) {
    const f = i % factions.length;
    const spec: SpawnSpec = {
      kind: 'monster',
      behaviour: 'monster',
      params: params[f] as Record<string, unknown>,
      body: { x: rng.float(1, opts.width - 1), y: rng.float(1, opts.height - 1), faction: factions[f] as string, speed: 3, maxHp: 60 },
    };
    inputs.push({ type: 'spawn', spec });
  }
  return inputs;
}
