import { Rng } from '../shared/index.ts';
import type { TerrainQuery } from '../shared/index.ts';
import type { Behaviour, BehaviourRegistry } from './behaviour.ts';
import type { Body } from './body.ts';
import type { Effect, WorldEvent } from './effects.ts';
import type { ActorId } from './ids.ts';
import type { Mailbox } from './mailbox.ts';
import { emptyStats } from './problems.ts';
import type { Problem, ProblemCode, WorldStats } from './problems.ts';
import { SpatialHash } from './spatialHash.ts';
import type { FailureRecord, SupervisionPolicy } from './supervision.ts';
import { TimerQueue } from './timerQueue.ts';
import { PathBudget } from './pathing/index.ts';
import { GhostSet } from './ghosts/ghostSet.ts';
import type { ActorTransfer } from './transfer/actorTransfer.ts';
import type { Message } from './messages.ts';

/** Settings of a world. All times in seconds, distances in world units. */
export interface WorldConfig {
  /** The world seed; every random stream is forked from it. */
  readonly seed: string;
  /** Step length in seconds (default 1/20). */
  readonly dt: number;
  /** Messages an actor's mailbox holds before refusing more (default 256). */
  readonly mailboxCapacity: number;
  /** Spatial hash cell size (≈ the usual perception radius; default 8). */
  readonly cellSize: number;
  /** How many recent problems and failures the world keeps for inspection (default 200). */
  readonly historySize: number;
  /** A* nodes expanded per step over all path requests (default 20,000), so a swarm cannot stall a step. */
  readonly pathExpansionsPerStep: number;
  /**
   * Activity level of detail: bodies with no player within this radius (world units) are "far": they get the
   * `tick` message and move only every `lodStride` steps (moving the whole stride at once), so they cost less
   * and change less often. 0 turns it off (the default: every actor every step).
   */
  readonly lodRadius: number;
  readonly lodStride: number;
  /** First id this world hands out (default 1); zones of one world use disjoint ranges (see `zoneIdRange`). */
  readonly idBase: ActorId;
  /** End (exclusive) of this world's own ids (default 2^32): spawns past it are refused. */
  readonly idEnd: ActorId;
}

/** Live state of one actor. */
export interface Actor {
  readonly id: ActorId;
  readonly kind: string;
  readonly behaviourName: string;
  /** The behaviour (resolved from the registry; not part of the hashed state). */
  readonly behaviour: Behaviour<unknown, unknown>;
  readonly params: unknown;
  readonly tags: Readonly<Record<string, string | number | boolean>> | null;
  readonly policy: SupervisionPolicy;
  readonly parent: ActorId;
  children: ActorId[] | null;
  /** Bumped on every restart; timers and asks of an older incarnation are stale. */
  incarnation: number;
  status: 'running' | 'suspended' | 'stopped';
  state: unknown;
  readonly mailbox: Mailbox;
  readonly body: Body | null;
  /** Forked lazily on first use. */
  rng: Rng | null;
  /** Simulation times of recent restarts (for the restart limit). */
  restarts: number[] | null;
  /** Latest request id per port. */
  asks: Map<string, number> | null;
  /** Latest timer seq per key. */
  timerKeys: Map<string, number> | null;
  /** Failures of this actor since spawn. */
  failures: number;
  /** No player near: stepped at the reduced rate (see {@link WorldConfig.lodRadius}). */
  far: boolean;
}

/** An `ask` waiting for its reply. */
export interface PendingAsk {
  readonly actor: ActorId;
  readonly incarnation: number;
  readonly port: string;
  /** Simulation time after which the actor gets a timeout reply instead. */
  readonly deadline: number;
  superseded: boolean;
  /** The ask's key (see the `ask` effect), echoed in its reply. */
  readonly key?: string;
}

/** A request for a mind, issued this step, for the host to serve asynchronously. */
export interface MindRequest {
  readonly requestId: number;
  readonly actor: ActorId;
  readonly port: string;
  readonly payload: unknown;
  /** Simulation time after which a reply is dropped. */
  readonly deadline: number;
}

/** Something an actor published this step. */
export interface ActorEvent {
  readonly actor: ActorId;
  readonly event: WorldEvent;
}

/** The whole simulation state. Mutated only by {@link step} and the functions in this folder. */
export interface World {
  readonly config: WorldConfig;
  readonly registry: BehaviourRegistry;
  readonly terrain: TerrainQuery;
  readonly rng: Rng;
  tick: number;
  /** Simulation time in seconds. */
  time: number;
  nextId: ActorId;
  nextRequestId: number;
  nextTimerSeq: number;
  /**
   * Actors by id, in insertion order: adopted actors arrive with their own ids, so this is not id order. Iterate
   * {@link liveActors} for ascending id.
   */
  readonly actors: Map<ActorId, Actor>;
  /**
   * The same actors as a dense array in ascending id order, for the per-step loops (a Map iterator there allocated
   * a result object per actor per step). Stopped actors are dropped lazily: read it through {@link liveActors}.
   */
  readonly order: Actor[];
  /** Set when an actor stopped since `order` was last compacted. */
  orderDirty: boolean;
  /** Index of living bodies, rebuilt at the end of each step (and before delivery when bodies appeared). */
  readonly spatial: SpatialHash;
  /** Actors of kind `player` (for level-of-detail checks: who is near a player). Ghost players are in `ghosts.players`. */
  readonly players: Set<ActorId>;
  /** The read-only margin of neighbouring zones: bodies seen here, never stepped, hashed or snapshotted. */
  readonly ghosts: GhostSet;
  /** Set when bodies appeared or vanished since the last rebuild of `spatial`. */
  spatialDirty: boolean;
  readonly timers: TimerQueue;
  readonly pending: Map<number, PendingAsk>;
  /** Path searches in progress, spread over steps. */
  readonly paths: PathBudget;
  /** Who asked for each path search, and the latest search per actor. */
  readonly pathJobs: Map<number, { readonly actor: ActorId; readonly incarnation: number }>;
  readonly pathOf: Map<ActorId, number>;
  readonly stats: WorldStats;
  /** Recent problems, oldest first, at most `historySize`. */
  readonly problems: Problem[];
  /** Recent failures, oldest first, at most `historySize`. */
  readonly failures: FailureRecord[];
  /**
   * Effects returned during the current step, with the actor that returned each (parallel arrays, the first
   * `effectCount` entries). Refilled in place each step: emptying an array with `length = 0` gives up its
   * storage, and regrowing thousands of entries every step was a steady source of garbage.
   */
  readonly effectQueue: Effect[];
  readonly effectActors: ActorId[];
  effectCount: number;
  /** Entries of `out.changed` written so far this step (it is refilled in place, like `effectQueue`). */
  changedCount: number;
  /** Per-step outputs, cleared at the start of each step. */
  readonly out: {
    readonly requests: MindRequest[];
    readonly events: ActorEvent[];
    readonly problems: Problem[];
    /** Bodies whose position, health or life changed. */
    readonly changed: ActorId[];
    readonly spawned: ActorId[];
    readonly removed: ActorId[];
    /** Ids of actors spawned by inputs that carried a `ref`. */
    readonly refs: { readonly ref: string; readonly id: ActorId }[];
    /** This step's landed blows; `hp` is the target's hp after the blow, `killed` whether it died of it. */
    readonly attacks: { readonly attacker: ActorId; readonly target: ActorId; readonly damage: number; readonly hp: number; readonly killed: boolean }[];
    /** Actors that left this world by a `release` input (also listed in `removed`), each with what the next world adopts. */
    readonly released: { readonly actor: ActorId; readonly transfer: ActorTransfer }[];
    /** Ids of actors that entered by an `adopt` input (also listed in `spawned`). */
    readonly adopted: ActorId[];
    /** Blows landed on ghosts: not applied here; the ghost's own zone applies them (a `damage` input there). */
    readonly remoteAttacks: { readonly attacker: ActorId; readonly target: ActorId; readonly damage: number }[];
    /** Messages sent (by effect or input) to an id that has no actor here, or is a ghost: for the host to forward. */
    readonly undelivered: { readonly to: ActorId; readonly message: Message }[];
  };
}

/** Options for {@link createWorld}. */
export interface CreateWorldOptions {
  readonly seed: string | number;
  readonly registry: BehaviourRegistry;
  readonly terrain: TerrainQuery;
  readonly dt?: number;
  readonly mailboxCapacity?: number;
  readonly cellSize?: number;
  readonly historySize?: number;
  readonly pathExpansionsPerStep?: number;
  readonly lodRadius?: number;
  readonly lodStride?: number;
  /** First actor id (default 1). */
  readonly idBase?: ActorId;
  /** End (exclusive) of this world's own ids (default 2^32). */
  readonly idEnd?: ActorId;
  /**
   * Tick the world starts at (default 0; its time is `startTick × dt`). Zones of one world share one clock: behaviour
   * states hold simulation times, so a zone created later starts at the world's present tick.
   */
  readonly startTick?: number;
}

/** Ids fit the snapshot's Uint32 columns. */
const ID_LIMIT = 2 ** 32;

/** A new, empty world. Actors arrive through spawn inputs or spawn effects. */
export function createWorld(opts: CreateWorldOptions): World {
  const config: WorldConfig = {
    seed: String(opts.seed),
    dt: opts.dt ?? 1 / 20,
    mailboxCapacity: opts.mailboxCapacity ?? 256,
    cellSize: opts.cellSize ?? 8,
    historySize: opts.historySize ?? 200,
    pathExpansionsPerStep: opts.pathExpansionsPerStep ?? 20_000,
    lodRadius: opts.lodRadius ?? 0,
    lodStride: opts.lodStride ?? 4,
    idBase: opts.idBase ?? 1,
    idEnd: opts.idEnd ?? ID_LIMIT,
  };
  if (!(Number.isInteger(config.idBase) && Number.isInteger(config.idEnd) && config.idBase >= 1 && config.idBase < config.idEnd && config.idEnd <= ID_LIMIT)) {
    throw new RangeError(`createWorld: need integers 1 <= idBase < idEnd <= 2^32, got idBase ${config.idBase}, idEnd ${config.idEnd}`);
  }
  if (!(config.lodRadius >= 0) || !(Number.isInteger(config.lodStride) && config.lodStride >= 1 && config.lodStride <= 60)) {
    throw new RangeError(`createWorld: need lodRadius >= 0 and an integer lodStride in 1..60, got ${config.lodRadius}, ${config.lodStride}`);
  }
  const startTick = opts.startTick ?? 0;
  if (!(Number.isInteger(startTick) && startTick >= 0)) throw new RangeError(`createWorld: startTick must be an integer >= 0, got ${startTick}`);
  if (!(config.dt > 0 && config.dt <= 1)) throw new RangeError(`createWorld: dt must be in (0, 1] seconds, got ${config.dt}`);
  if (!(Number.isInteger(config.mailboxCapacity) && config.mailboxCapacity >= 1)) {
    throw new RangeError(`createWorld: mailboxCapacity must be an integer >= 1, got ${config.mailboxCapacity}`);
  }
  return {
    config,
    registry: opts.registry,
    terrain: opts.terrain,
    rng: Rng.create(config.seed),
    tick: startTick,
    time: startTick * config.dt,
    nextId: config.idBase,
    nextRequestId: 1,
    nextTimerSeq: 1,
    actors: new Map(),
    order: [],
    orderDirty: false,
    spatial: new SpatialHash(config.cellSize),
    spatialDirty: false,
    players: new Set(),
    ghosts: new GhostSet(),
    timers: new TimerQueue(),
    pending: new Map(),
    paths: new PathBudget(opts.terrain, { expansionsPerTick: config.pathExpansionsPerStep, astar: { maxNodes: 4000 } }),
    pathJobs: new Map(),
    pathOf: new Map(),
    stats: emptyStats(),
    problems: [],
    failures: [],
    effectQueue: [],
    effectActors: [],
    effectCount: 0,
    changedCount: 0,
    out: { requests: [], events: [], problems: [], changed: [], spawned: [], removed: [], refs: [], attacks: [], released: [], adopted: [], remoteAttacks: [], undelivered: [] },
  };
}

/** Record a refused or dropped thing: counted, kept in the recent history and in this step's output. */
export function report(world: World, code: ProblemCode, message: string, actor?: ActorId): void {
  const p: Problem = actor === undefined ? { tick: world.tick, code, message } : { tick: world.tick, code, actor, message };
  world.stats.problems[code]++;
  world.out.problems.push(p);
  world.problems.push(p);
  if (world.problems.length > world.config.historySize) world.problems.shift();
}

/** Every actor in ascending id order (stopped ones dropped first). Do not keep the array across steps. */
export function liveActors(world: World): readonly Actor[] {
  if (world.orderDirty) {
    const order = world.order;
    let n = 0;
    for (let i = 0; i < order.length; i++) {
      const a = order[i] as Actor;
      if (a.status !== 'stopped') order[n++] = a;
    }
    order.length = n;
    world.orderDirty = false;
  }
  return world.order;
}

/** Add an actor to the world's index and to `order` at its place by id (at the end, unless it arrived from elsewhere). */
export function addActor(world: World, actor: Actor): void {
  world.actors.set(actor.id, actor);
  const order = world.order;
  const last = order[order.length - 1];
  if (last === undefined || last.id < actor.id) order.push(actor);
  else {
    // Binary search over ids (stopped entries not yet dropped are still in id order).
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((order[mid] as Actor).id < actor.id) lo = mid + 1;
      else hi = mid;
    }
    order.splice(lo, 0, actor);
  }
  if (actor.kind === 'player') world.players.add(actor.id);
}
