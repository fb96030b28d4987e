import type { Rng } from '../../shared/index.ts';
import type { TerrainQuery } from '../../shared/index.ts';
import type { BehaviourRegistry } from '../behaviour.ts';
import { newBody } from '../body.ts';
import type { Body } from '../body.ts';
import type { ActorId } from '../ids.ts';
import type { Message } from '../messages.ts';
import type { SavedPathBudget } from '../pathing/index.ts';
import type { Problem, WorldStats } from '../problems.ts';
import { rebuildSpatial } from '../step.ts';
import type { FailureRecord } from '../supervision.ts';
import type { TimerEntry } from '../timerQueue.ts';
import { addActor, createWorld, liveActors } from '../world.ts';
import type { Actor, World, WorldConfig } from '../world.ts';
import { actorRng, buildActor, entriesOf, mapOf, restoreRng, STATUSES } from './actorParts.ts';

/** Numbers kept per body, in this order, in {@link WorldImage.bodies}. */
export const BODY_FIELDS = 12;

/**
 * The whole simulation state as plain data: what a snapshot encodes. Actors are stored as columns (actor `i` is
 * entry `i` of each): numbers in typed arrays, everything else in arrays of references. Everything is either
 * copied at capture or immutable by contract (behaviour states are replaced, never changed in place; messages and
 * timer entries likewise), so a capture taken on the tick can be encoded later, off the tick, and still say what
 * the world was at capture.
 */
export interface WorldImage {
  readonly config: WorldConfig;
  readonly tick: number;
  readonly time: number;
  readonly nextId: number;
  readonly nextRequestId: number;
  readonly nextTimerSeq: number;
  readonly rng: number[];
  /** Number of actors. */
  readonly count: number;
  /** Kind and behaviour names, indexed by {@link kind} and {@link behaviour}. */
  readonly names: string[];
  readonly ids: Uint32Array;
  readonly kind: Uint16Array;
  readonly behaviour: Uint16Array;
  /** Index into {@link STATUSES}. */
  readonly status: Uint8Array;
  /** Index into {@link paramsTable}: actors of one species share one parsed params object. */
  readonly params: Uint32Array;
  readonly paramsTable: unknown[];
  readonly parent: Uint32Array;
  readonly incarnation: Uint32Array;
  readonly failures: Uint32Array;
  readonly far: Uint8Array;
  /** Row of the actor's body in {@link bodies}, or -1 without a body. */
  readonly bodyRow: Int32Array;
  /** Each actor's random stream (c, s0, s1, s2; its seed path is derived from the world seed and the id). */
  readonly rngs: Float64Array;
  readonly hasRng: Uint8Array;
  readonly tags: (Readonly<Record<string, string | number | boolean>> | null)[];
  readonly states: unknown[];
  readonly mailboxes: (Message[] | null)[];
  readonly children: (ActorId[] | null)[];
  readonly restarts: (number[] | null)[];
  /** Asks and timer keys as flat (key, value, …) lists: empty when the map is empty, null when there is none. */
  readonly asks: (readonly (string | number)[] | null)[];
  readonly timerKeys: (readonly (string | number)[] | null)[];
  /** Body numbers, {@link BODY_FIELDS} per body: x, y, vx, vy, heading, radius, speed, hp, maxHp, homeX, homeY, changedAt. */
  readonly bodies: Float64Array;
  readonly alive: Uint8Array;
  /** Index into {@link factions} per body. */
  readonly bodyFaction: Uint16Array;
  readonly factions: string[];
  readonly timers: TimerEntry[];
  readonly pending: [number, ActorId, number, string, number, boolean, string | null][];
  readonly paths: SavedPathBudget;
  readonly pathJobs: [number, ActorId, number][];
  readonly pathOf: [ActorId, number][];
  readonly stats: WorldStats;
  readonly problems: Problem[];
  readonly failureLog: FailureRecord[];
}

/** Index of `value` in `table`, added when new (a small Map in front keeps the lookup cheap). */
function intern<T>(value: T, table: T[], index: Map<T, number>): number {
  let i = index.get(value);
  if (i === undefined) {
    i = table.length;
    table.push(value);
    index.set(value, i);
  }
  return i;
}

/**
 * Copy what a world holds into a {@link WorldImage}, on the tick, between steps. Numbers go into typed columns
 * and mutable containers (mailboxes, child lists, maps) are copied only when they hold something; behaviour states
 * and messages are taken by reference. Little is allocated per actor, which is what keeps this within a few
 * milliseconds for 10,000 actors: turning it into bytes runs later, off the tick.
 */
export function captureWorld(world: World): WorldImage {
  const n = world.actors.size;
  const ids = new Uint32Array(n), kind = new Uint16Array(n), behaviour = new Uint16Array(n), status = new Uint8Array(n);
  const params = new Uint32Array(n), parent = new Uint32Array(n), incarnation = new Uint32Array(n), failures = new Uint32Array(n);
  const far = new Uint8Array(n), bodyRow = new Int32Array(n), rngs = new Float64Array(n * 4), hasRng = new Uint8Array(n);
  // Filled in order from index 0 (`new Array(n)` would start large ones in V8's slow dictionary mode).
  const tags: WorldImage['tags'] = [], states: unknown[] = [], mailboxes: (Message[] | null)[] = [];
  const children: (ActorId[] | null)[] = [], restarts: (number[] | null)[] = [];
  const asks: WorldImage['asks'] = [], timerKeys: WorldImage['timerKeys'] = [];
  const bodies = new Float64Array(n * BODY_FIELDS), alive = new Uint8Array(n), bodyFaction = new Uint16Array(n);
  const names: string[] = [], nameIndex = new Map<string, number>();
  const factions: string[] = [], factionIndex = new Map<string, number>();
  const paramsTable: unknown[] = [], paramsIndex = new Map<unknown, number>();
  let rows = 0;
  let i = 0;
  // Neighbours in id order are mostly of one kind and species: remember the last lookups.
  let lastKind = '', lastKindIdx = 0, lastBehaviour = '', lastBehaviourIdx = 0;
  let lastParams: unknown = undefined, lastParamsIdx = -1, lastFaction = '', lastFactionIdx = -1;
  const order = liveActors(world);
  for (let k = 0; k < order.length; k++) {
    const a = order[k] as Actor;
    ids[i] = a.id;
    if (a.kind !== lastKind || i === 0) {
      lastKind = a.kind;
      lastKindIdx = intern(a.kind, names, nameIndex);
    }
    kind[i] = lastKindIdx;
    if (a.behaviourName !== lastBehaviour || i === 0) {
      lastBehaviour = a.behaviourName;
      lastBehaviourIdx = intern(a.behaviourName, names, nameIndex);
    }
    behaviour[i] = lastBehaviourIdx;
    status[i] = a.status === 'running' ? 0 : a.status === 'suspended' ? 1 : 2;
    if (a.params !== lastParams || lastParamsIdx < 0) {
      lastParams = a.params;
      lastParamsIdx = intern(a.params, paramsTable, paramsIndex);
    }
    params[i] = lastParamsIdx;
    parent[i] = a.parent;
    incarnation[i] = a.incarnation;
    failures[i] = a.failures;
    far[i] = a.far ? 1 : 0;
    if (a.rng) {
      a.rng.saveInto(rngs, i * 4);
      hasRng[i] = 1;
    }
    tags[i] = a.tags;
    states[i] = a.state;
    mailboxes[i] = a.mailbox.size > 0 ? a.mailbox.toArray() : null;
    children[i] = a.children ? a.children.slice() : null;
    restarts[i] = a.restarts ? a.restarts.slice() : null;
    asks[i] = entriesOf(a.asks);
    timerKeys[i] = entriesOf(a.timerKeys);
    const b = a.body;
    if (b) {
      const row = rows++;
      const o = row * BODY_FIELDS;
      bodies[o] = b.x; bodies[o + 1] = b.y; bodies[o + 2] = b.vx; bodies[o + 3] = b.vy; bodies[o + 4] = b.heading; bodies[o + 5] = b.radius;
      bodies[o + 6] = b.speed; bodies[o + 7] = b.hp; bodies[o + 8] = b.maxHp; bodies[o + 9] = b.homeX; bodies[o + 10] = b.homeY; bodies[o + 11] = b.changedAt;
      alive[row] = b.alive ? 1 : 0;
      if (b.faction !== lastFaction || lastFactionIdx < 0) {
        lastFaction = b.faction;
        lastFactionIdx = intern(b.faction, factions, factionIndex);
      }
      bodyFaction[row] = lastFactionIdx;
      bodyRow[i] = row;
    } else bodyRow[i] = -1;
    i++;
  }
  const rng = new Float64Array(4);
  world.rng.saveInto(rng, 0);
  return {
    config: world.config,
    tick: world.tick,
    time: world.time,
    nextId: world.nextId,
    nextRequestId: world.nextRequestId,
    nextTimerSeq: world.nextTimerSeq,
    rng: Array.from(rng),
    count: n,
    names, ids, kind, behaviour, status, params, paramsTable, parent, incarnation, failures, far, bodyRow, rngs, hasRng,
    tags, states, mailboxes, children, restarts, asks, timerKeys,
    bodies: bodies.subarray(0, rows * BODY_FIELDS),
    alive: alive.subarray(0, rows),
    bodyFaction: bodyFaction.subarray(0, rows),
    factions,
    timers: world.timers.copy(),
    pending: [...world.pending].map(([id, q]) => [id, q.actor, q.incarnation, q.port, q.deadline, q.superseded, q.key ?? null]),
    paths: world.paths.save(),
    pathJobs: [...world.pathJobs].map(([id, j]) => [id, j.actor, j.incarnation]),
    pathOf: [...world.pathOf],
    stats: { ...world.stats, problems: { ...world.stats.problems } },
    problems: world.problems.slice(),
    failureLog: world.failures.slice(),
  };
}

/** What a restored world needs from its host: the behaviours and the terrain it was captured with. */
export interface RestoreOptions {
  readonly registry: BehaviourRegistry;
  readonly terrain: TerrainQuery;
}

/**
 * Rebuild a world from an image: a world that steps on exactly as the captured one would have. Throws a
 * RangeError naming what does not fit (a behaviour this build does not have, an index out of range).
 */
export function restoreWorld(image: WorldImage, opts: RestoreOptions): World {
  const c = image.config;
  const world = createWorld({
    seed: c.seed, registry: opts.registry, terrain: opts.terrain, dt: c.dt, mailboxCapacity: c.mailboxCapacity, cellSize: c.cellSize,
    historySize: c.historySize, pathExpansionsPerStep: c.pathExpansionsPerStep, lodRadius: c.lodRadius, lodStride: c.lodStride,
    // Snapshots from before zones have neither: the defaults.
    ...(c.idBase !== undefined && { idBase: c.idBase }), ...(c.idEnd !== undefined && { idEnd: c.idEnd }),
  });
  world.tick = image.tick;
  world.time = image.time;
  world.nextId = image.nextId;
  world.nextRequestId = image.nextRequestId;
  world.nextTimerSeq = image.nextTimerSeq;
  (world as { rng: Rng }).rng = restoreRng(c.seed, image.rng, 0);
  const paramsTable = image.paramsTable.map((p) => (p !== null && typeof p === 'object' ? Object.freeze(p) : p));
  const rowCount = image.alive.length;
  for (let i = 0; i < image.count; i++) {
    const id = image.ids[i] as number;
    const behaviourName = image.names[image.behaviour[i] as number];
    const kind = image.names[image.kind[i] as number];
    const status = STATUSES[image.status[i] as number];
    const p = image.params[i] as number;
    if (behaviourName === undefined || kind === undefined || status === undefined || p >= paramsTable.length) throw new RangeError(`actor ${id}: kind, behaviour, status or params index out of range`);
    const row = image.bodyRow[i] as number;
    if (row >= rowCount) throw new RangeError(`actor ${id}: body row ${row} out of range (${rowCount} bodies)`);
    addActor(world, buildActor(opts.registry, c.mailboxCapacity, {
      id,
      kind,
      behaviourName,
      params: paramsTable[p],
      tags: image.tags[i] ?? null,
      parent: image.parent[i] as number,
      children: image.children[i] ?? null,
      incarnation: image.incarnation[i] as number,
      status,
      state: image.states[i],
      mailbox: image.mailboxes[i] ?? null,
      body: row >= 0 ? bodyFromRow(id, image, row) : null,
      rng: image.hasRng[i] === 1 ? actorRng(c.seed, id, image.rngs, i * 4) : null,
      restarts: image.restarts[i] ?? null,
      asks: mapOf(image.asks[i] ?? null),
      timerKeys: mapOf(image.timerKeys[i] ?? null),
      failures: image.failures[i] as number,
      far: image.far[i] === 1,
    }));
  }
  for (const t of image.timers) world.timers.push(t);
  for (const [id, actor, incarnation, port, deadline, superseded, key] of image.pending) {
    world.pending.set(id, { actor, incarnation, port, deadline, superseded, ...(key !== null && { key }) });
  }
  world.paths.restore(image.paths);
  for (const [id, actor, incarnation] of image.pathJobs) world.pathJobs.set(id, { actor, incarnation });
  for (const [actor, job] of image.pathOf) world.pathOf.set(actor, job);
  Object.assign(world.stats, image.stats, { problems: { ...world.stats.problems, ...image.stats.problems } });
  world.problems.push(...image.problems);
  world.failures.push(...image.failureLog);
  rebuildSpatial(world);
  return world;
}

function bodyFromRow(id: ActorId, image: WorldImage, row: number): Body {
  const v = image.bodies;
  const o = row * BODY_FIELDS;
  const b = newBody(id, { x: v[o] as number, y: v[o + 1] as number, radius: v[o + 5] as number, speed: v[o + 6] as number, hp: v[o + 7] as number, maxHp: v[o + 8] as number, faction: image.factions[image.bodyFaction[row] as number] ?? '' });
  b.vx = v[o + 2] as number;
  b.vy = v[o + 3] as number;
  b.heading = v[o + 4] as number;
  b.alive = image.alive[row] === 1;
  b.homeX = v[o + 9] as number;
  b.homeY = v[o + 10] as number;
  b.changedAt = v[o + 11] as number;
  return b;
}
