import { matchMaker } from '@colyseus/core';
import { checkScenario, inputIssues, planScenario, resolveSite } from '../../actors/index.ts';
import type { ActorId, Point } from '../../actors/index.ts';
import type { LlmGateway } from '../../llm/index.ts';
import type { Recording, WorldRoom } from '../../rooms/index.ts';
import { ValidationError } from '../../shared/index.ts';
import type { RoomKeeper } from '../roomKeeper.ts';
import { AdminError, badRequest } from './adminErrors.ts';
import { roomLlmReport } from './roomLlm.ts';
import { spawnMessage } from './spawnSummary.ts';

/** What the room methods need from the process that hosts the room. */
export interface RoomMethodDeps {
  readonly llm: LlmGateway;
  /** Snapshots and the flight recorder; null or absent with SNAPSHOTS=off. */
  readonly keeper?: RoomKeeper | null;
}

/** A live room at a glance. */
export interface RoomSummary {
  readonly roomId: string;
  /** The process hosting the room. */
  readonly processId: string;
  readonly tick: number;
  readonly paused: boolean;
  readonly restoredAt?: number;
  readonly actors: number;
  readonly alive: number;
  readonly players: number;
  readonly clients: number;
  readonly seed: string;
  readonly worldSize: number;
  readonly scenario: { readonly name: string; readonly title: string; readonly packs: Record<string, string> } | null;
  readonly stats: { readonly deaths: number; readonly failures: number; readonly asks: number; readonly askTimeouts: number };
}

/** A spawn, validated by the admin router: a scenario document (a named one already loaded) and where. */
export interface SpawnArgs {
  readonly scenario: unknown;
  readonly at?: Point | undefined;
}

/**
 * The admin operations on one room, by name: each takes the room and plain-data arguments and returns plain data
 * (JSON as the HTTP answer), so the process hosting the room can run it for a request that reached another process
 * (see roomCalls.ts). A request that cannot be served throws an {@link AdminError}.
 */
export function createRoomMethods(deps: RoomMethodDeps) {
  // Spawn instances (`a1`, `a2` …) per room, counted where the room lives so that every process names them alike.
  const instances = new Map<string, number>();
  const needKeeper = (): RoomKeeper => {
    if (!deps.keeper) throw new AdminError(409, 'snapshots are off on this server (SNAPSHOTS=off)');
    return deps.keeper;
  };
  const noActor = (room: WorldRoom, id: ActorId): AdminError => new AdminError(404, `no actor ${id} in room '${room.roomId}'`);

  return {
    summary: (room: WorldRoom, _args: Record<string, never>): RoomSummary => roomSummary(room),

    inspect: (room: WorldRoom, args: { actor: ActorId }) => {
      const actor = room.admin.inspect(args.actor);
      if (!actor) throw noActor(room, args.actor);
      return { roomId: room.roomId, tick: room.sim.world.tick, actor };
    },

    spawn: async (room: WorldRoom, args: SpawnArgs) => {
      const checked = checkScenario(args.scenario);
      if (!checked.ok) throw badRequest('scenario', checked.issues);
      const scenario = checked.scenario;
      const half = room.config.worldSize / 2;
      if (args.at && (Math.abs(args.at.x) > half || Math.abs(args.at.y) > half)) {
        throw badRequest('spawn request', [{ path: ['at'], message: `(${args.at.x}, ${args.at.y}) is outside the world (±${half} world units)` }]);
      }
      const seq = (instances.get(room.roomId) ?? 0) + 1;
      const instance = `a${seq}`;
      let plan;
      let site;
      try {
        site = resolveSite(scenario, room.gen, args.at);
        plan = planScenario(scenario, site, { instance, players: false, seed: `${String(room.config.seed)}/${instance}` });
      } catch (err) {
        if (err instanceof ValidationError) throw badRequest('scenario', err.issues);
        throw err;
      }
      const issues = inputIssues(room.sim.world.registry, plan.inputs);
      if (issues.length) throw badRequest('scenario', issues);
      instances.set(room.roomId, seq);
      const done = room.admin.spawnInputs(plan.inputs);
      const packs = Object.fromEntries(plan.packs);
      if (room.paused) {
        // The spawns take effect at the next step, which only a step request runs: answer now rather than wait for it.
        const queued = plan.inputs.filter((i) => i.type === 'spawn').length;
        return {
          message: `${queued} spawn${queued === 1 ? '' : 's'} queued: room '${room.roomId}' is paused; they appear at the next step`,
          roomId: room.roomId, instance, spawned: [] as ActorId[], count: 0, queued, packs, tick: room.sim.world.tick, paused: true,
        };
      }
      const ids = await done;
      return {
        message: spawnMessage(room.sim.world, ids, site.origin),
        roomId: room.roomId, instance, spawned: ids, count: ids.length, queued: 0, packs, tick: room.sim.world.tick, paused: room.paused,
      };
    },

    despawn: (room: WorldRoom, args: { actor: ActorId }) => {
      if (!room.admin.despawn(args.actor)) throw noActor(room, args.actor);
      return { roomId: room.roomId, despawned: args.actor };
    },

    pause: (room: WorldRoom, _args: Record<string, never>) => {
      room.admin.pause();
      return { roomId: room.roomId, paused: true, tick: room.sim.world.tick };
    },

    resume: (room: WorldRoom, _args: Record<string, never>) => {
      room.admin.resume();
      return { roomId: room.roomId, paused: false, tick: room.sim.world.tick };
    },

    step: (room: WorldRoom, args: { ticks: number }) => {
      if (!room.paused) throw new AdminError(409, `room '${room.roomId}' is running; pause it before stepping`);
      const tick = room.admin.stepOnce(args.ticks);
      return { roomId: room.roomId, paused: true, tick };
    },

    snapshot: async (room: WorldRoom, _args: Record<string, never>) => {
      needKeeper();
      const written = await room.snapshotNow();
      if (!written) throw new AdminError(503, `room ${room.roomId}: the snapshot could not be written (see /health and the log); the room runs on its last good snapshot`);
      return { roomId: room.roomId, ...written };
    },

    recording: async (room: WorldRoom, _args: Record<string, never>): Promise<Recording> => {
      needKeeper();
      return room.recording();
    },

    llm: async (room: WorldRoom, _args: Record<string, never>) => ({
      ...(await roomLlmReport(deps.llm, room.roomId, room.config)),
      plans: room.decisions.sources().plan ?? {},
    }),
  };
}

/** The admin operations on a room, by name (see {@link createRoomMethods}). */
export type RoomMethods = ReturnType<typeof createRoomMethods>;
export type RoomMethodName = keyof RoomMethods;
/** The arguments of a room method (plain data). */
export type RoomMethodArgs<K extends RoomMethodName> = Parameters<RoomMethods[K]>[1];
/** What a room method answers (plain data). */
export type RoomMethodResult<K extends RoomMethodName> = Awaited<ReturnType<RoomMethods[K]>>;

/** A live room at a glance. */
export function roomSummary(room: WorldRoom): RoomSummary {
  const w = room.sim.world;
  let alive = 0;
  for (const a of w.actors.values()) if (a.body?.alive) alive++;
  return {
    roomId: room.roomId,
    processId: matchMaker.processId,
    tick: w.tick,
    paused: room.paused,
    ...(room.restoredAt !== null && { restoredAt: room.restoredAt }),
    actors: w.actors.size,
    alive,
    players: w.players.size,
    clients: room.clients.length,
    seed: String(room.config.seed),
    worldSize: room.config.worldSize,
    scenario: room.scenario ? { name: room.scenario.name, title: room.scenario.scenario.name, packs: Object.fromEntries(room.scenario.plan.packs) } : null,
    stats: { deaths: w.stats.deaths, failures: w.stats.failures, asks: w.stats.asks, askTimeouts: w.stats.askTimeouts },
  };
}
