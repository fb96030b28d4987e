import { BehaviourRegistry } from './behaviour.ts';
import { monsterBehaviour } from './behaviours/monster.ts';
import { playerBehaviour } from './behaviours/player.ts';

/** A registry with the built-in behaviours (`monster`, `player`). */
export function defaultRegistry(): BehaviourRegistry {
  return new BehaviourRegistry().register(monsterBehaviour).register(playerBehaviour);
}
