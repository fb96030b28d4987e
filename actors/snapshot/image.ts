import { Rng } from '../../shared/index.ts';
import type { TerrainQuery } from '../../shared/index.ts';
import type { BehaviourRegistry } from '../behaviour.ts';
import { newBody } from '../body.ts';
import type { Body } from '../body.ts';
import type { ActorId } from '../ids.ts';
import { Mailbox } from '../mailbox.ts';
import type { Message } from '../messages.ts';
import type { SavedPathBudget } from '../pathing/index.ts';
import type { Problem, WorldStats } from '../problems.ts';
import { rebuildSpatial } from '../step.ts';
import { DEFAULT_POLICY } from '../supervision.ts';
import type { FailureRecord } from '../supervision.ts';
import type { TimerEntry } from '../timerQueue.ts';
import { createWorld } from '../world.ts';
import type { Actor, World, WorldConfig } from '../world.ts';

/** Numbers kept per body, in this order, in {@link WorldImage.bodies}. */
const BODY_FIELDS = 12;

/**
 * One actor as saved. Everything here is either copied at capture or immutable by contract (behaviour states
 * are replaced, never changed in place; messages and timer entries are frozen in spirit), so a capture taken on
 * the tick can be encoded later, off the tick, and still say what the world was at capture.
 */
export interface ActorImage {
  readonly id: ActorId;
  readonly kind: string;
  readonly behaviour: string;
  /** Index into {@link WorldImage.params}: actors of one species share one parsed params object. */
  readonly params: number;
  readonly tags: Readonly<Record<string, string | number | boolean>> | null;
  readonly parent: ActorId;
  readonly children: ActorId[] | null;
  readonly incarnation: number;
  readonly status: Actor['status'];
  readonly state: unknown;
  readonly mailbox: Message[] | null;
  /** The actor's random stream (its seed path is derived from the world seed and the id). */
  readonly rng: [number, number, number, number] | null;
  readonly restarts: number[] | null;
  readonly asks: [string, number][] | null;
  readonly timerKeys: [string, number][] | null;
  readonly failures: number;
  readonly far: boolean;
  /** Row of this actor's body in {@link WorldImage.bodies}, or -1 without a body. */
  readonly body: number;
}

/** The whole simulation state as plain data: what a snapshot encodes. */
export interface WorldImage {
  readonly config: WorldConfig;
  readonly tick: number;
  readonly time: number;
  readonly nextId: number;
  readonly nextRequestId: number;
  readonly nextTimerSeq: number;
  readonly rng: [number, number, number, number];
  readonly params: unknown[];
  readonly actors: ActorImage[];
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
  readonly failures: FailureRecord[];
}

function aleaOf(rng: Rng): [number, number, number, number] {
  const a = rng.save().alea;
  return [a.c, a.s0, a.s1, a.s2];
}

/**
 * Copy what a world holds into a {@link WorldImage}, on the tick, between steps. Mutable containers (bodies,
 * mailboxes, child lists, maps) are copied; behaviour states and messages are taken by reference (they are
 * replaced, not changed, by the runtime), which is what keeps this cheap enough for the tick: the expensive
 * part, turning it into bytes, runs later.
 */
export function captureWorld(world: World): WorldImage {
  const n = world.actors.size;
  const bodies = new Float64Array(n * BODY_FIELDS);
  const alive = new Uint8Array(n);
  const bodyFaction = new Uint16Array(n);
  const factions: string[] = [];
  const factionIndex = new Map<string, number>();
  const params: unknown[] = [];
  const paramsIndex = new Map<unknown, number>();
  const actors: ActorImage[] = new Array<ActorImage>(n);
  let rows = 0;
  let i = 0;
  for (const a of world.actors.values()) {
    let row = -1;
    const b = a.body;
    if (b) {
      row = rows++;
      const o = row * BODY_FIELDS;
      bodies[o] = b.x; bodies[o + 1] = b.y; bodies[o + 2] = b.vx; bodies[o + 3] = b.vy; bodies[o + 4] = b.heading; bodies[o + 5] = b.radius;
      bodies[o + 6] = b.speed; bodies[o + 7] = b.hp; bodies[o + 8] = b.maxHp; bodies[o + 9] = b.homeX; bodies[o + 10] = b.homeY; bodies[o + 11] = b.changedAt;
      alive[row] = b.alive ? 1 : 0;
      let f = factionIndex.get(b.faction);
      if (f === undefined) {
        f = factions.length;
        factions.push(b.faction);
        factionIndex.set(b.faction, f);
      }
      bodyFaction[row] = f;
    }
    let p = paramsIndex.get(a.params);
    if (p === undefined) {
      p = params.length;
      params.push(a.params);
      paramsIndex.set(a.params, p);
    }
    actors[i++] = {
      id: a.id,
      kind: a.kind,
      behaviour: a.behaviourName,
      params: p,
      tags: a.tags,
      parent: a.parent,
      children: a.children ? a.children.slice() : null,
      incarnation: a.incarnation,
      status: a.status,
      state: a.state,
      mailbox: a.mailbox.size > 0 ? a.mailbox.toArray() : null,
      rng: a.rng ? aleaOf(a.rng) : null,
      restarts: a.restarts ? a.restarts.slice() : null,
      asks: a.asks ? [...a.asks] : null,
      timerKeys: a.timerKeys ? [...a.timerKeys] : null,
      failures: a.failures,
      far: a.far,
      body: row,
    };
  }
  return {
    config: world.config,
    tick: world.tick,
    time: world.time,
    nextId: world.nextId,
    nextRequestId: world.nextRequestId,
    nextTimerSeq: world.nextTimerSeq,
    rng: aleaOf(world.rng),
    params,
    actors,
    bodies: bodies.subarray(0, rows * BODY_FIELDS),
    alive: alive.subarray(0, rows),
    bodyFaction: bodyFaction.subarray(0, rows),
    factions,
    timers: world.timers.entries(),
    pending: [...world.pending].map(([id, q]) => [id, q.actor, q.incarnation, q.port, q.deadline, q.superseded, q.key ?? null]),
    paths: world.paths.save(),
    pathJobs: [...world.pathJobs].map(([id, j]) => [id, j.actor, j.incarnation]),
    pathOf: [...world.pathOf],
    stats: { ...world.stats, problems: { ...world.stats.problems } },
    problems: world.problems.slice(),
    failures: world.failures.slice(),
  };
}

/** What a restored world needs from its host: the behaviours and the terrain it was captured with. */
export interface RestoreOptions {
  readonly registry: BehaviourRegistry;
  readonly terrain: TerrainQuery;
}

/**
 * Rebuild a world from an image: a world that steps on exactly as the captured one would have. Throws a
 * RangeError naming what does not fit (a behaviour this build does not have, a body row out of range).
 */
export function restoreWorld(image: WorldImage, opts: RestoreOptions): World {
  const c = image.config;
  const world = createWorld({
    seed: c.seed, registry: opts.registry, terrain: opts.terrain, dt: c.dt, mailboxCapacity: c.mailboxCapacity, cellSize: c.cellSize,
    historySize: c.historySize, pathExpansionsPerStep: c.pathExpansionsPerStep, lodRadius: c.lodRadius, lodStride: c.lodStride,
  });
  world.tick = image.tick;
  world.time = image.time;
  world.nextId = image.nextId;
  world.nextRequestId = image.nextRequestId;
  world.nextTimerSeq = image.nextTimerSeq;
  (world as { rng: Rng }).rng = restoreRng(c.seed, image.rng);
  const params = image.params.map((p) => (p !== null && typeof p === 'object' ? Object.freeze(p) : p));
  const rowCount = image.alive.length;
  for (const a of image.actors) {
    const behaviour = opts.registry.get(a.behaviour);
    if (!behaviour) throw new RangeError(`actor ${a.id}: behaviour '${a.behaviour}' is not known to this server (known: ${opts.registry.names().join(', ')})`);
    if (!(a.params >= 0 && a.params < params.length)) throw new RangeError(`actor ${a.id}: params index ${a.params} out of range`);
    let body: Body | null = null;
    if (a.body >= 0) {
      if (a.body >= rowCount) throw new RangeError(`actor ${a.id}: body row ${a.body} out of range (${rowCount} bodies)`);
      body = bodyFromRow(a.id, image, a.body);
    }
    const mailbox = new Mailbox(c.mailboxCapacity);
    if (a.mailbox) for (const m of a.mailbox) mailbox.push(m);
    const actor: Actor = {
      id: a.id,
      kind: a.kind,
      behaviourName: a.behaviour,
      behaviour,
      params: params[a.params],
      tags: a.tags,
      policy: { ...DEFAULT_POLICY, ...behaviour.supervision },
      parent: a.parent,
      children: a.children,
      incarnation: a.incarnation,
      status: a.status,
      state: a.state,
      mailbox,
      body,
      rng: a.rng ? restoreRng(`${c.seed}/actor:${a.id}`, a.rng) : null,
      restarts: a.restarts,
      asks: a.asks ? new Map(a.asks) : null,
      timerKeys: a.timerKeys ? new Map(a.timerKeys) : null,
      failures: a.failures,
      far: a.far,
    };
    world.actors.set(a.id, actor);
    world.order.push(actor);
    if (actor.kind === 'player') world.players.add(a.id);
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
  world.failures.push(...image.failures);
  rebuildSpatial(world);
  return world;
}

function restoreRng(seed: string, [c, s0, s1, s2]: readonly number[]): Rng {
  return Rng.restore({ seed, alea: { c: c as number, s0: s0 as number, s1: s1 as number, s2: s2 as number } });
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
