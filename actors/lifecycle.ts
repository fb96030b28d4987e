import { formatIssues } from '../shared/index.ts';
import { newBody } from './body.ts';
import type { Body } from './body.ts';
import { WorldContext } from './context.ts';
import type { ActorId } from './ids.ts';
import { NO_ACTOR } from './ids.ts';
import { Mailbox } from './mailbox.ts';
import type { Message } from './messages.ts';
import { SpawnSpecSchema } from './spawnSpec.ts';
import type { SpawnSpec } from './spawnSpec.ts';
import { DEFAULT_POLICY } from './supervision.ts';
import type { FailureRecord, SupervisionPolicy } from './supervision.ts';
import type { Actor, World } from './world.ts';
import { addActor, report } from './world.ts';

/** Outcome of a spawn: the new id, or why the spec was refused. */
export type SpawnResult = { readonly ok: true; readonly id: ActorId } | { readonly ok: false; readonly error: string };

const contexts = new WeakMap<World, WorldContext>();

/** The world's reusable behaviour context. */
export function contextOf(world: World): WorldContext {
  let ctx = contexts.get(world);
  if (!ctx) {
    ctx = new WorldContext(world);
    contexts.set(world, ctx);
  }
  return ctx;
}

// Parsed behaviour params by the identity of the raw params object: many monsters of one species share one
// params object, so they share one parse and one parsed copy.
const parsedParams = new WeakMap<object, unknown>();

/**
 * Validate `spec` and start the actor. Nothing changes when the spec is refused: the error names the bad
 * field (`body.speed: …`, `params.damage: …`) or the unknown behaviour.
 */
export function spawnActor(world: World, spec: SpawnSpec, parent: ActorId = NO_ACTOR): SpawnResult {
  const parsed = SpawnSpecSchema.safeParse(spec);
  if (!parsed.success) return { ok: false, error: formatIssues(parsed.error.issues) };
  const s = parsed.data;
  const behaviour = world.registry.get(s.behaviour);
  if (!behaviour) return { ok: false, error: `behaviour: unknown behaviour '${s.behaviour}' (known: ${world.registry.names().join(', ')})` };
  const parentActor = parent === NO_ACTOR ? undefined : world.actors.get(parent);
  if (parent !== NO_ACTOR && !parentActor) return { ok: false, error: `parent: actor ${parent} does not exist` };

  let params: unknown = s.params ?? {};
  if (behaviour.params) {
    const raw = (spec as { params?: object }).params;
    const cached = raw ? parsedParams.get(raw) : undefined;
    if (cached !== undefined) params = cached;
    else {
      const p = behaviour.params.safeParse(params);
      if (!p.success) return { ok: false, error: formatIssues(p.error.issues.map((i) => ({ ...i, path: ['params', ...i.path] }))) };
      params = Object.freeze(p.data);
      if (raw) parsedParams.set(raw, params);
    }
  }

  const id = world.nextId;
  if (id >= world.config.idEnd) return { ok: false, error: `no actor ids left: this world hands out ids ${world.config.idBase}..${world.config.idEnd - 1} and all are used` };
  const b = s.body;
  const body: Body | null = b
    ? newBody(id, { x: b.x, y: b.y, radius: b.radius, speed: b.speed, hp: Math.min(b.hp ?? b.maxHp, b.maxHp), maxHp: b.maxHp, faction: b.faction })
    : null;
  const policy: SupervisionPolicy = { ...DEFAULT_POLICY, ...behaviour.supervision };
  const actor: Actor = {
    id,
    kind: s.kind,
    behaviourName: s.behaviour,
    behaviour,
    params,
    tags: s.tags ?? null,
    policy,
    parent,
    children: null,
    incarnation: 0,
    status: 'running',
    state: undefined,
    mailbox: new Mailbox(world.config.mailboxCapacity),
    body,
    rng: null,
    restarts: null,
    asks: null,
    timerKeys: null,
    failures: 0,
    far: false,
  };
  try {
    actor.state = behaviour.init(contextOf(world).bind(actor));
  } catch (err) {
    return { ok: false, error: `behaviour '${s.behaviour}' failed to initialise: ${errorText(err)}` };
  }
  world.nextId++;
  addActor(world, actor);
  if (parentActor) (parentActor.children ??= []).push(id);
  if (body?.alive) world.spatialDirty = true;
  world.stats.spawned++;
  world.out.spawned.push(id);
  return { ok: true, id };
}

/** Stop an actor and, first, its children. Its body leaves the world; later messages to it are dead letters. */
export function stopActor(world: World, id: ActorId): boolean {
  const actor = world.actors.get(id);
  if (!actor) return false;
  if (actor.children) for (const c of actor.children.slice()) stopActor(world, c);
  world.actors.delete(id);
  world.orderDirty = true;
  world.players.delete(id);
  actor.status = 'stopped';
  if (actor.body) world.spatialDirty = true;
  const parent = world.actors.get(actor.parent);
  if (parent?.children) {
    const i = parent.children.indexOf(id);
    if (i >= 0) parent.children.splice(i, 1);
  }
  world.stats.stopped++;
  world.out.removed.push(id);
  return true;
}

/** Queue `message` for actor `to`. A missing actor or full mailbox is a counted drop, never an exception. */
export function enqueue(world: World, to: ActorId, message: Message): boolean {
  const actor = world.actors.get(to);
  if (!actor) {
    report(world, 'dead-letter', `message '${message.type}' to actor ${to}, which does not exist or has stopped`, to);
    return false;
  }
  if (!actor.mailbox.push(message)) {
    report(world, 'mailbox-full', `mailbox of actor ${to} is full (${actor.mailbox.capacity}); dropped '${message.type}'`, to);
    return false;
  }
  return true;
}

/**
 * Restart an actor under its policy's restart limit: a new incarnation (its timers and asks become stale),
 * from its initial state or its last good state. Past the limit the actor stops. Returns the outcome.
 */
export function restartActor(world: World, actor: Actor): 'restarted' | 'limit-stopped' {
  const { maxRestarts, withinSeconds, restartFrom } = actor.policy;
  const recent = (actor.restarts ?? []).filter((t) => t > world.time - withinSeconds);
  if (recent.length >= maxRestarts) {
    stopActor(world, actor.id);
    return 'limit-stopped';
  }
  recent.push(world.time);
  actor.restarts = recent;
  actor.incarnation++;
  actor.timerKeys = null;
  actor.asks = null;
  actor.status = 'running';
  if (restartFrom === 'initial') {
    try {
      actor.state = actor.behaviour.init(contextOf(world).bind(actor));
    } catch {
      stopActor(world, actor.id);
      return 'limit-stopped';
    }
  }
  world.stats.restarts++;
  return 'restarted';
}

/** A behaviour threw (or returned garbage) on `message`: apply the actor's supervision policy. */
export function failActor(world: World, actor: Actor, message: Message, err: unknown): void {
  const error = errorText(err);
  world.stats.failures++;
  actor.failures++;
  report(world, 'actor-failed', `actor ${actor.id} (${actor.behaviourName}) failed on '${message.type}': ${error}`, actor.id);
  let outcome: FailureRecord['outcome'];
  const parent = world.actors.get(actor.parent);
  if (actor.policy.strategy === 'stop') {
    stopActor(world, actor.id);
    outcome = 'stopped';
  } else if (actor.policy.strategy === 'escalate' && parent) {
    actor.status = 'suspended';
    world.stats.escalations++;
    enqueue(world, parent.id, { type: 'childFailed', child: actor.id, error });
    outcome = 'escalated';
  } else if (actor.policy.strategy === 'escalate') {
    stopActor(world, actor.id);
    outcome = 'stopped';
  } else {
    outcome = restartActor(world, actor);
  }
  world.failures.push({ actor: actor.id, tick: world.tick, messageType: message.type, error, outcome });
  if (world.failures.length > world.config.historySize) world.failures.shift();
}

/** A readable one-line description of a thrown value (never the stack). */
export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
}
