import type { ActorId } from '../ids.ts';
import type { Actor, World } from '../world.ts';
import { TRANSFER_FORMAT, TRANSFER_VERSION } from './actorTransfer.ts';
import type { ActorTransfer } from './actorTransfer.ts';

/** Outcome of a release: the transfer, or why the actor cannot leave. */
export type ReleaseResult = { readonly ok: true; readonly transfer: ActorTransfer } | { readonly ok: false; readonly error: string };

/** Why actor `actor` cannot leave this world, or null when it can. */
function releaseProblem(world: World, id: ActorId, actor: Actor | undefined): string | null {
  if (!actor) return world.ghosts.get(id) ? `actor ${id} is a ghost here (another world owns it)` : `actor ${id} does not exist here`;
  if (!actor.body) return `actor ${id} (${actor.behaviourName}) has no body: only actors with a body move between worlds`;
  if (actor.children && actor.children.length > 0) return `actor ${id} (${actor.behaviourName}) has children (${actor.children.join(', ')}): stop or move them first`;
  if (actor.status !== 'running') return `actor ${id} (${actor.behaviourName}) is ${actor.status}, waiting for its parent's supervise decision`;
  return null;
}

/**
 * Take actor `id` out of the world without it dying: it leaves the actor index, the players, the spatial index,
 * its parent's children, the timer queue, the pending asks and the path searches, and comes back as an
 * {@link ActorTransfer} (timers relative to now, the ports it waits on). Nothing changes when it is refused.
 */
export function releaseActor(world: World, id: ActorId): ReleaseResult {
  const actor = world.actors.get(id);
  const problem = releaseProblem(world, id, actor);
  if (problem || !actor?.body) return { ok: false, error: problem ?? `actor ${id} cannot be released` };
  const b = actor.body;

  const timerKeys = actor.timerKeys;
  const timers = world.timers.remove((t) => t.actor === id);
  const live = timers.filter((t) => t.incarnation === actor.incarnation && timerKeys?.get(t.key) === t.seq);
  const waiting: { port: string; key?: string }[] = [];
  if (actor.asks) {
    for (const requestId of actor.asks.values()) {
      const p = world.pending.get(requestId);
      if (p && !p.superseded) waiting.push(p.key === undefined ? { port: p.port } : { port: p.port, key: p.key });
    }
  }
  let rng: [number, number, number, number] | null = null;
  if (actor.rng) {
    const v = new Float64Array(4);
    actor.rng.saveInto(v, 0);
    rng = [v[0] as number, v[1] as number, v[2] as number, v[3] as number];
  }
  const transfer: ActorTransfer = {
    format: TRANSFER_FORMAT,
    version: TRANSFER_VERSION,
    seed: world.config.seed,
    tick: world.tick,
    time: world.time,
    id,
    kind: actor.kind,
    behaviour: actor.behaviourName,
    status: 'running',
    params: actor.params,
    tags: actor.tags,
    parent: actor.parent,
    incarnation: actor.incarnation,
    failures: actor.failures,
    far: actor.far,
    state: actor.state,
    mailbox: actor.mailbox.toArray(),
    restarts: actor.restarts ? actor.restarts.slice() : null,
    rng,
    // `+ 0` turns -0 into 0: JSON and MessagePack would, and an adoption replayed from a log must see what the live
    // one saw.
    body: {
      x: b.x + 0, y: b.y + 0, vx: b.vx + 0, vy: b.vy + 0, heading: b.heading + 0, radius: b.radius, speed: b.speed, hp: b.hp + 0, maxHp: b.maxHp, alive: b.alive,
      faction: b.faction, homeX: b.homeX + 0, homeY: b.homeY + 0,
    },
    timers: live.map((t) => (t.data === undefined ? { key: t.key, delay: t.due - world.time } : { key: t.key, delay: t.due - world.time, data: t.data })),
    waiting,
  };

  forget(world, actor);
  world.stats.released++;
  world.out.removed.push(id);
  world.out.released.push({ actor: id, transfer });
  return { ok: true, transfer };
}

/** Drop every trace of `actor` from the world's indexes (what `stopActor` does, without counting a stop). */
function forget(world: World, actor: Actor): void {
  const id = actor.id;
  world.actors.delete(id);
  world.orderDirty = true;
  actor.status = 'stopped';
  world.players.delete(id);
  world.spatialDirty = true;
  const parent = world.actors.get(actor.parent);
  if (parent?.children) {
    const i = parent.children.indexOf(id);
    if (i >= 0) parent.children.splice(i, 1);
  }
  world.pending.forEach((p, requestId) => {
    if (p.actor === id) world.pending.delete(requestId);
  });
  world.pathJobs.forEach((job, jobId) => {
    if (job.actor !== id) return;
    world.paths.cancel(jobId);
    world.pathJobs.delete(jobId);
  });
  world.pathOf.delete(id);
}
