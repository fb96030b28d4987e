import { BehaviourRegistry } from './behaviour.ts';
import { monsterBehaviour } from './behaviours/monster.ts';
import { playerBehaviour } from './behaviours/player.ts';
import { npcBehaviour } from './behaviours/npc.ts';
import { directorBehaviour, scenarioPlayerBehaviour } from './scenario/index.ts';
import { coordinatorBehaviour } from './coordinator/index.ts';

/** A registry with the built-in behaviours (`monster`, `player`, `npc`, the scenario `director` and `scenarioPlayer`, and the room `coordinator`). */
export function defaultRegistry(): BehaviourRegistry {
  return new BehaviourRegistry().register(monsterBehaviour).register(playerBehaviour)
    .register(npcBehaviour).register(directorBehaviour).register(scenarioPlayerBehaviour)
    .register(coordinatorBehaviour);
}
