import { BehaviourRegistry, coordinatorBehaviour, coordinatorSpawn, FlatTerrain, monsterBehaviour, playerBehaviour, Simulation } from '../../../actors/index.ts';
import type { Body, CoordinatorState, MonsterState, PlanWorld, World, WorldInput } from '../../../actors/index.ts';
import type { TerrainQuery } from '../../../shared/index.ts';

export function registry(): BehaviourRegistry {
  return new BehaviourRegistry().register(monsterBehaviour).register(playerBehaviour).register(coordinatorBehaviour);
}

/** A wolf of pack `pack` at (x, y): no layer 2/3 (so only reflexes and orders drive it). */
export function wolf(x: number, y: number, pack = 'p1', hp = 40): WorldInput {
  return {
    type: 'spawn',
    spec: {
      kind: 'monster', behaviour: 'monster', params: { personality: false, activation: 0, perception: 8, respawnDelay: 3600 },
      body: { x, y, maxHp: 40, hp, speed: 3, faction: 'wild' }, tags: { species: 'wolf', pack, name: `w${x}` },
    },
  };
}

export function hero(x: number, y: number, name = 'Ann', hp = 100, maxHp = 100): WorldInput {
  return { type: 'spawn', spec: { kind: 'player', behaviour: 'player', params: { respawnDelay: 3600 }, body: { x, y, maxHp, hp, speed: 5, faction: 'players' }, tags: { name } } };
}

/** A recorded simulation on a flat 64×64 field with the given spawns, the coordinator last. */
export function battle(spawns: readonly WorldInput[], coordinator: Record<string, unknown> = {}, terrain: TerrainQuery = new FlatTerrain(64, 64)): Simulation {
  const sim = new Simulation({ seed: 'battle', registry: registry(), terrain });
  for (const s of spawns) sim.input(s);
  sim.input(coordinatorSpawn({ askCloud: false, ...coordinator }));
  return sim;
}

export function coordinatorOf(world: World): { id: number; state: CoordinatorState } {
  for (const a of world.actors.values()) if (a.kind === 'coordinator') return { id: a.id, state: a.state as CoordinatorState };
  throw new Error('no coordinator');
}

export function monster(world: World, id: number): MonsterState {
  return world.actors.get(id)?.state as MonsterState;
}

export function body(world: World, id: number): Body {
  return world.actors.get(id)?.body as Body;
}

/** A plan world from bodies: members (first is the leader) and players, origin at the leader. */
export function planWorld(terrain: TerrainQuery, members: readonly Partial<Body>[], players: readonly Partial<Body>[]): PlanWorld {
  const mk = (b: Partial<Body>): Body => ({ id: 0, x: 0, y: 0, vx: 0, vy: 0, heading: 0, radius: 0.4, speed: 3, hp: 40, maxHp: 40, alive: true, faction: 'wild', homeX: 0, homeY: 0, changedAt: 0, ...b });
  const ms = members.map(mk);
  const leader = ms[0] as Body;
  return {
    terrain,
    members: new Map(ms.map((m) => [m.id, m])),
    leader: leader.id,
    players: new Map(players.map(mk).map((p) => [p.id, { ...p, faction: 'players' }])),
    origin: { x: leader.x, y: leader.y },
  };
}
