import { newBody } from '../body.ts';
import { enqueue } from '../lifecycle.ts';
import { MOVED } from '../messages.ts';
import { actorRng, buildActor } from '../snapshot/actorParts.ts';
import type { Actor, World } from '../world.ts';
import { addActor } from '../world.ts';
import { transferProblem } from './actorTransfer.ts';
import type { ActorTransfer } from './actorTransfer.ts';

/** Outcome of an adoption: the actor's id, or why it was refused. */
export type AdoptResult = { readonly ok: true; readonly id: number } | { readonly ok: false; readonly error: string };

/**
 * Bring a released actor into this world with its own id, in ascending-id order, replacing a ghost of that id.
 * Its timers fire after the same delays as they would have where it was; each ask it was waiting on fails with
 * error {@link MOVED} (a reply message, as a timeout would), so its behaviour asks again here. Refused, with
 * nothing changed, when the transfer is malformed, comes from a world of another seed, names a behaviour this build
 * lacks, or when an actor of that id already lives here (so a replayed adoption is harmless).
 */
export function adoptActor(world: World, transfer: ActorTransfer): AdoptResult {
  const problem = transferProblem(transfer);
  if (problem) return { ok: false, error: `adopt: transfer.${problem}` };
  const t = transfer;
  const id = t.id;
  if (world.actors.has(id)) return { ok: false, error: `adopt: actor ${id} already lives here (a replayed adoption?)` };
  if (t.seed !== world.config.seed) return { ok: false, error: `adopt: actor ${id} comes from a world of seed '${t.seed}', this one is '${world.config.seed}'` };
  const tb = t.body;
  const body = newBody(id, { x: tb.x, y: tb.y, radius: tb.radius, speed: tb.speed, hp: tb.hp, maxHp: tb.maxHp, faction: tb.faction });
  body.vx = tb.vx;
  body.vy = tb.vy;
  body.heading = tb.heading;
  body.alive = tb.alive;
  body.homeX = tb.homeX;
  body.homeY = tb.homeY;
  let actor: Actor;
  try {
    actor = buildActor(world.registry, world.config.mailboxCapacity, {
      id,
      kind: t.kind,
      behaviourName: t.behaviour,
      params: t.params !== null && typeof t.params === 'object' ? Object.freeze(t.params) : t.params,
      tags: t.tags,
      parent: t.parent,
      children: null,
      incarnation: t.incarnation,
      status: t.status,
      state: t.state,
      mailbox: t.mailbox,
      body,
      rng: t.rng ? actorRng(world.config.seed, id, t.rng, 0) : null,
      restarts: t.restarts ? t.restarts.slice() : null,
      asks: null,
      timerKeys: null,
      failures: t.failures,
      far: t.far,
    });
  } catch (err) {
    return { ok: false, error: `adopt: ${err instanceof Error ? err.message : String(err)}` };
  }

  world.ghosts.remove(id);
  addActor(world, actor);
  if (body.alive) world.spatialDirty = true;
  const parent = world.actors.get(t.parent);
  if (parent && !(parent.children ?? []).includes(id)) (parent.children ??= []).push(id);
  // An id of this world's own range (an actor that was spawned here, left and came back after this world was
  // restored from an older snapshot) must never be handed out again.
  if (id >= world.nextId && id >= world.config.idBase && id < world.config.idEnd) world.nextId = id + 1;

  for (const timer of t.timers) {
    const seq = world.nextTimerSeq++;
    (actor.timerKeys ??= new Map()).set(timer.key, seq);
    world.timers.push({ due: world.time + timer.delay, seq, actor: id, incarnation: actor.incarnation, key: timer.key, data: timer.data });
  }
  for (const w of t.waiting) {
    const requestId = world.nextRequestId++;
    enqueue(world, id, { type: 'reply', port: w.port, requestId, ok: false, error: MOVED, ...(typeof w.key === 'string' && { key: w.key }) });
  }
  world.stats.adopted++;
  world.out.spawned.push(id);
  world.out.adopted.push(id);
  return { ok: true, id };
}
