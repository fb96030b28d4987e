import { UNCHANGED } from './behaviour.ts';
import type { Transition } from './behaviour.ts';
import type { WorldContext } from './context.ts';
import type { Body } from './body.ts';
import { attack, markChanged } from './combat.ts';
import { effectProblem } from './effects.ts';
import type { Effect } from './effects.ts';
import type { ActorId } from './ids.ts';
import type { ReplyInput, StepInputs, WorldInput } from './inputs.ts';
import { contextOf, enqueue, errorText, failActor, restartActor, spawnActor, stopActor } from './lifecycle.ts';
import { messageProblem, TICK } from './messages.ts';
import type { Message } from './messages.ts';
import type { Actor, World } from './world.ts';
import { liveActors, report } from './world.ts';
import { applyZoneInput, sendTo } from './zoneInputs.ts';

/** What one step produced, for the host: mind requests to serve, events to show, problems to report. */
export type StepReport = World['out'];

const EMPTY: StepInputs = Object.freeze({});

/**
 * Advance the world by one step of `dt` seconds. The single entry point of the simulation and a pure function
 * of (world, dt, inputs, replies): no wall clock, no unseeded randomness. Order within a step:
 *
 * 1. inputs, then replies, then due timers and ask timeouts are queued into mailboxes;
 * 2. each running actor, in ascending id, drains the messages queued before its turn, one at a time, then
 *    gets the shared `tick`; behaviours return effects;
 * 3. effects are performed in the order they were returned (messages they send arrive next step);
 * 4. bodies move and collide with the terrain.
 */
export function step(world: World, dt: number = world.config.dt, inputs: StepInputs = EMPTY): StepReport {
  if (!(dt > 0 && dt <= 1)) throw new RangeError(`step: dt must be in (0, 1] seconds, got ${dt}`);
  const out = world.out;
  out.requests.length = 0;
  out.events.length = 0;
  out.problems.length = 0;
  world.changedCount = 0;
  out.spawned.length = 0;
  out.removed.length = 0;
  out.refs.length = 0;
  out.attacks.length = 0;
  out.released.length = 0;
  out.adopted.length = 0;
  out.remoteAttacks.length = 0;
  out.undelivered.length = 0;

  world.tick++;
  world.time += dt;

  if (inputs.inputs) for (const input of inputs.inputs) applyInput(world, input);
  if (inputs.replies) for (const reply of inputs.replies) applyReply(world, reply);
  fireTimers(world);
  expireAsks(world);
  servePaths(world);

  if (world.spatialDirty) rebuildSpatial(world);
  if (world.config.lodRadius > 0) updateLevelOfDetail(world);
  deliverAll(world);
  resolveEffects(world);
  integrate(world, dt);
  rebuildSpatial(world);
  out.changed.length = world.changedCount;
  return out;
}

/** Re-index every living body, ghosts included (in ascending id). */
export function rebuildSpatial(world: World): void {
  const actors = liveActors(world);
  world.spatial.rebuild(world.ghosts.size === 0 ? actors : mergeById(actors, world.ghosts.bodies(), world));
  world.spatialDirty = false;
}

const scratch = new WeakMap<World, Body[]>();

/** Bodies of `actors` and `ghosts` (both in ascending id) merged in ascending id, into an array kept per world. */
function mergeById(actors: readonly Actor[], ghosts: readonly Body[], world: World): Body[] {
  let out = scratch.get(world);
  if (!out) scratch.set(world, (out = []));
  let n = 0;
  let g = 0;
  for (let i = 0; i < actors.length; i++) {
    const b = (actors[i] as Actor).body;
    if (!b) continue;
    while (g < ghosts.length && (ghosts[g] as Body).id < b.id) out[n++] = ghosts[g++] as Body;
    out[n++] = b;
  }
  while (g < ghosts.length) out[n++] = ghosts[g++] as Body;
  out.length = n;
  return out;
}

function applyInput(world: World, input: WorldInput): void {
  if (typeof input !== 'object' || input === null) {
    report(world, 'invalid-input', `input must be an object, got ${input === null ? 'null' : typeof input}`);
    return;
  }
  switch (input.type) {
    case 'spawn': {
      const r = spawnActor(world, input.spec);
      if (!r.ok) report(world, 'invalid-spawn', `spawn input refused: ${r.error}`);
      else if (typeof input.ref === 'string') world.out.refs.push({ ref: input.ref, id: r.id });
      return;
    }
    case 'stop':
      if (!stopActor(world, input.actor)) report(world, 'dead-letter', `stop input for actor ${input.actor}, which does not exist`, input.actor);
      return;
    case 'send': {
      const problem = messageProblem(input.message);
      if (problem) report(world, 'invalid-input', `send input to actor ${input.to}: ${problem}`, input.to);
      else sendTo(world, input.to, input.message);
      return;
    }
    case 'release':
    case 'adopt':
    case 'ghosts':
    case 'damage':
      applyZoneInput(world, input);
      return;
    default:
      report(world, 'invalid-input', `unknown input type ${JSON.stringify((input as { type?: unknown }).type)}`);
  }
}

function applyReply(world: World, reply: ReplyInput): void {
  if (typeof reply !== 'object' || reply === null || !Number.isInteger(reply.requestId) || typeof reply.ok !== 'boolean') {
    report(world, 'invalid-reply', 'reply must be { requestId: integer, ok: boolean, value | error }');
    return;
  }
  const pending = world.pending.get(reply.requestId);
  if (!pending) {
    report(world, 'late-reply', `reply to request ${reply.requestId} arrived after its deadline or for an unknown request`);
    return;
  }
  world.pending.delete(reply.requestId);
  if (pending.superseded) {
    report(world, 'superseded-reply', `reply to request ${reply.requestId} (${pending.port}) was superseded by a newer request`, pending.actor);
    return;
  }
  const actor = world.actors.get(pending.actor);
  if (!actor || actor.incarnation !== pending.incarnation) {
    report(world, 'stale-reply', `reply to request ${reply.requestId} (${pending.port}): actor ${pending.actor} ${actor ? 'restarted' : 'stopped'} since asking`, pending.actor);
    return;
  }
  actor.asks?.delete(slotOf(pending.port, pending.key));
  const key = pending.key === undefined ? null : { key: pending.key };
  const message: Message = reply.ok
    ? { type: 'reply', port: pending.port, requestId: reply.requestId, ok: true, value: reply.value, ...key }
    : { type: 'reply', port: pending.port, requestId: reply.requestId, ok: false, error: String(reply.error), ...key };
  enqueue(world, actor.id, message);
}

/** An actor's ask slot: one pending ask per port, or per port and key. */
function slotOf(port: string, key: string | undefined): string {
  return key === undefined ? port : `${port}#${key}`;
}

function fireTimers(world: World): void {
  for (let t = world.timers.popDue(world.time); t; t = world.timers.popDue(world.time)) {
    const actor = world.actors.get(t.actor);
    if (!actor || actor.incarnation !== t.incarnation || actor.timerKeys?.get(t.key) !== t.seq) continue;
    actor.timerKeys.delete(t.key);
    enqueue(world, actor.id, t.data === undefined ? { type: 'timer', key: t.key } : { type: 'timer', key: t.key, data: t.data });
  }
}

function expireAsks(world: World): void {
  if (world.pending.size === 0) return;
  const now = world.time + 1e-9;
  // forEach rather than for-of over entries: no [key, value] pair per pending ask per step.
  world.pending.forEach((p, requestId) => {
    if (p.deadline > now) return;
    world.pending.delete(requestId);
    if (p.superseded) return;
    const actor = world.actors.get(p.actor);
    if (!actor || actor.incarnation !== p.incarnation) return;
    actor.asks?.delete(slotOf(p.port, p.key));
    world.stats.askTimeouts++;
    enqueue(world, actor.id, { type: 'reply', port: p.port, requestId, ok: false, error: 'timeout', ...(p.key !== undefined && { key: p.key }) });
  });
}

/** Advance path searches within the step's budget and deliver finished ones to the actors still waiting. */
function servePaths(world: World): void {
  if (world.paths.pending === 0) return;
  const ts = world.terrain.tileSize;
  for (const done of world.paths.tick()) {
    const job = world.pathJobs.get(done.id);
    world.pathJobs.delete(done.id);
    if (!job || done.kind !== 'path') continue;
    if (world.pathOf.get(job.actor) === done.id) world.pathOf.delete(job.actor);
    const actor = world.actors.get(job.actor);
    if (!actor || actor.incarnation !== job.incarnation) continue;
    const r = done.result;
    const waypoints: number[] = [];
    for (const t of r.path) waypoints.push((t.x + 0.5) * ts, (t.y + 0.5) * ts);
    enqueue(world, actor.id, { type: 'path', ok: r.status === 'found', status: r.status, waypoints });
  }
}

/** Level of detail is recomputed every LOD_EVERY steps. */
const LOD_EVERY = 10;

/**
 * Every LOD_EVERY steps, mark bodies with no player within the LOD radius as far: everything is far, then the
 * spatial index clears the flag around each player (cost: bodies + players × bodies near them).
 */
function updateLevelOfDetail(world: World): void {
  if (world.tick % LOD_EVERY !== 0) return;
  markAllFar(world);
  wakeNearPlayers(world);
}

// Two functions, not two loops in one: the first loop runs over every actor and gets its function compiled
// while it runs (on-stack replacement); compiled before the second loop ever ran, that code had no feedback
// for it and fell back to the interpreter there on every level-of-detail step.

/** Every actor with a body, players aside, starts out far. Index loop: an unoptimised for-of allocates a result per actor. */
function markAllFar(world: World): void {
  const order = liveActors(world);
  for (let i = 0; i < order.length; i++) {
    const actor = order[i] as Actor;
    actor.far = actor.body !== null && actor.kind !== 'player';
  }
}

/** Actors within the level-of-detail radius of a player (ghost players of neighbouring zones included) are near. */
function wakeNearPlayers(world: World): void {
  const r = world.config.lodRadius;
  const wake = (b: Body): void => {
    const a = world.actors.get(b.id);
    if (a) a.far = false;
  };
  for (const pid of world.players) {
    const p = world.actors.get(pid)?.body;
    if (p) world.spatial.forEachWithin(p.x, p.y, r, wake);
  }
  for (const pid of world.ghosts.players) {
    const p = world.ghosts.get(pid)?.body;
    if (p) world.spatial.forEachWithin(p.x, p.y, r, wake);
  }
}

/** Whether a far actor gets its turn on this step. */
function onStride(world: World, actor: Actor): boolean {
  return !actor.far || (world.tick + actor.id) % world.config.lodStride === 0;
}

function deliverAll(world: World): void {
  const ctx = contextOf(world);
  const order = liveActors(world);
  for (let i = 0; i < order.length; i++) {
    const actor = order[i] as Actor;
    if (actor.status !== 'running') continue;
    ctx.bind(actor);
    // Only messages queued before this turn: anything sent during the step arrives on the next one.
    let n = actor.mailbox.size;
    while (n-- > 0 && actor.status === 'running') {
      deliver(world, actor, actor.mailbox.shift() as Message, ctx);
    }
    if (actor.behaviour.ticks !== false && actor.status === 'running' && onStride(world, actor)) deliver(world, actor, TICK, ctx);
  }
}

function deliver(world: World, actor: Actor, message: Message, ctx: WorldContext): void {
  let result: Transition<unknown>;
  try {
    result = actor.behaviour.receive(actor.state, message, ctx);
  } catch (err) {
    failActor(world, actor, message, err);
    return;
  }
  world.stats.delivered++;
  if (result === UNCHANGED) return;
  if (typeof result !== 'object' || result === null || !('state' in result)) {
    report(world, 'malformed-result', `behaviour '${actor.behaviourName}' returned ${describe(result)} instead of { state, effects }`, actor.id);
    failActor(world, actor, message, new TypeError(`behaviour returned ${describe(result)} instead of { state, effects }`));
    return;
  }
  const effects = result.effects;
  if (effects !== undefined && !Array.isArray(effects)) {
    report(world, 'malformed-result', `behaviour '${actor.behaviourName}' returned effects that are ${describe(effects)}, not an array`, actor.id);
    failActor(world, actor, message, new TypeError('effects must be an array'));
    return;
  }
  actor.state = result.state;
  if (effects) {
    for (let i = 0; i < effects.length; i++) {
      const k = world.effectCount++;
      world.effectQueue[k] = effects[i] as Effect;
      world.effectActors[k] = actor.id;
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object without state' : typeof v;
}

function resolveEffects(world: World): void {
  const q = world.effectQueue;
  const who = world.effectActors;
  for (let i = 0; i < world.effectCount; i++) {
    const e = q[i] as Effect;
    const id = who[i] as ActorId;
    const problem = effectProblem(e);
    if (problem) {
      report(world, 'malformed-effect', `actor ${id}: ${problem}`, id);
      continue;
    }
    const actor = world.actors.get(id);
    try {
      perform(world, id, actor, e);
    } catch (err) {
      report(world, 'malformed-effect', `actor ${id}: ${e.type} effect failed: ${errorText(err)}`, id);
    }
  }
  // Drop the references (so this step's effects can be collected young) but keep the storage.
  q.fill(undefined as unknown as Effect, 0, world.effectCount);
  world.effectCount = 0;
}

function perform(world: World, id: ActorId, actor: Actor | undefined, e: Effect): void {
  switch (e.type) {
    case 'send': {
      const problem = messageProblem(e.message);
      if (problem) report(world, 'malformed-effect', `actor ${id}: send to ${e.to}: ${problem}`, id);
      else sendTo(world, e.to, e.message);
      return;
    }
    case 'spawn': {
      if (!actor) return;
      const r = spawnActor(world, e.spec, id);
      if (!r.ok) report(world, 'invalid-spawn', `actor ${id}: spawn refused: ${r.error}`, id);
      return;
    }
    case 'stop': {
      const target = e.target ?? id;
      if (target !== id && world.actors.get(target)?.parent !== id) {
        report(world, 'malformed-effect', `actor ${id}: may stop only itself or its children, not ${target}`, id);
        return;
      }
      stopActor(world, target);
      return;
    }
    case 'supervise': {
      const child = world.actors.get(e.child);
      if (!child || child.parent !== id) {
        report(world, 'malformed-effect', `actor ${id}: supervise ${e.child}: not a child of this actor`, id);
        return;
      }
      if (e.action === 'stop') stopActor(world, child.id);
      else if (e.action === 'resume') child.status = 'running';
      else restartActor(world, child);
      return;
    }
    case 'emit':
      if (actor) world.out.events.push({ actor: id, event: e.event });
      return;
    default:
      break;
  }
  // The rest act on the actor itself and need it alive and running.
  if (!actor || actor.status !== 'running') return;
  switch (e.type) {
    case 'timer': {
      const seq = world.nextTimerSeq++;
      (actor.timerKeys ??= new Map()).set(e.key, seq);
      world.timers.push({ due: world.time + e.delay, seq, actor: id, incarnation: actor.incarnation, key: e.key, data: e.data });
      return;
    }
    case 'cancelTimer':
      actor.timerKeys?.delete(e.key);
      return;
    case 'ask': {
      const requestId = world.nextRequestId++;
      const asks = (actor.asks ??= new Map());
      const slot = slotOf(e.port, e.key);
      const previous = asks.get(slot);
      if (previous !== undefined) {
        const p = world.pending.get(previous);
        if (p) p.superseded = true;
      }
      asks.set(slot, requestId);
      const deadline = world.time + e.timeout;
      world.pending.set(requestId, e.key === undefined
        ? { actor: id, incarnation: actor.incarnation, port: e.port, deadline, superseded: false }
        : { actor: id, incarnation: actor.incarnation, port: e.port, deadline, superseded: false, key: e.key });
      world.out.requests.push({ requestId, actor: id, port: e.port, payload: e.payload, deadline });
      world.stats.asks++;
      return;
    }
    case 'move': {
      const b = actor.body;
      if (!b || !b.alive) return;
      let vx = e.vx;
      let vy = e.vy;
      const s2 = vx * vx + vy * vy;
      if (s2 > b.speed * b.speed) {
        const k = b.speed / Math.sqrt(s2);
        vx *= k;
        vy *= k;
      }
      if (b.vx !== vx || b.vy !== vy) markChanged(world, b);
      b.vx = vx;
      b.vy = vy;
      return;
    }
    case 'attack':
      attack(world, actor, e.target, e.damage, e.range);
      return;
    case 'findPath': {
      const b = actor.body;
      if (!b) return;
      const previous = world.pathOf.get(id);
      if (previous !== undefined) {
        world.paths.cancel(previous);
        world.pathJobs.delete(previous);
      }
      const ts = world.terrain.tileSize;
      const job = world.paths.requestPath({ x: Math.floor(b.x / ts), y: Math.floor(b.y / ts) }, { x: Math.floor(e.x / ts), y: Math.floor(e.y / ts) });
      world.pathJobs.set(job, { actor: id, incarnation: actor.incarnation });
      world.pathOf.set(id, job);
      return;
    }
    case 'respawn': {
      const b = actor.body;
      if (!b || b.alive) return;
      b.alive = true;
      b.hp = b.maxHp;
      b.x = e.x ?? b.homeX;
      b.y = e.y ?? b.homeY;
      b.vx = 0;
      b.vy = 0;
      markChanged(world, b);
      return;
    }
    default:
      return;
  }
}

/** Move every moving body by its velocity, slowed by the terrain's move cost, sliding along walls. */
function integrate(world: World, dt: number): void {
  const ts = world.terrain.tileSize;
  const stride = world.config.lodStride;
  const order = liveActors(world);
  for (let k = 0; k < order.length; k++) {
    const actor = order[k] as Actor;
    const b = actor.body;
    if (!b || !b.alive || (b.vx === 0 && b.vy === 0)) continue;
    if (!actor.far) moveBody(world, b, dt, ts);
    else if (onStride(world, actor)) {
      // A far body moves its whole stride at once, in sub-steps so that it cannot tunnel through walls.
      for (let i = 0; i < stride && (b.vx !== 0 || b.vy !== 0); i++) moveBody(world, b, dt, ts);
    }
  }
}

function moveBody(world: World, b: Body, dt: number, ts: number): void {
  const terrain = world.terrain;
  const cost = terrain.moveCost(Math.floor(b.x / ts), Math.floor(b.y / ts));
  const k = dt / (cost >= 1 && Number.isFinite(cost) ? cost : 1);
  const nx = b.x + b.vx * k;
  const ny = b.y + b.vy * k;
  if (terrain.isWalkable(Math.floor(nx / ts), Math.floor(ny / ts))) {
    b.x = nx;
    b.y = ny;
  } else if (terrain.isWalkable(Math.floor(nx / ts), Math.floor(b.y / ts))) {
    b.x = nx;
    b.vy = 0;
  } else if (terrain.isWalkable(Math.floor(b.x / ts), Math.floor(ny / ts))) {
    b.y = ny;
    b.vx = 0;
  } else {
    b.vx = 0;
    b.vy = 0;
    return;
  }
  b.heading = Math.atan2(b.vy, b.vx);
  markChanged(world, b);
}
