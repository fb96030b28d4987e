import { land } from './combat.ts';
import { ghostProblem } from './ghosts/ghostBody.ts';
import type { GhostBody } from './ghosts/ghostBody.ts';
import type { ActorId } from './ids.ts';
import type { WorldInput } from './inputs.ts';
import { enqueue } from './lifecycle.ts';
import type { Message } from './messages.ts';
import { isShielded } from './shield.ts';
import { adoptActor } from './transfer/adoptActor.ts';
import { releaseActor } from './transfer/releaseActor.ts';
import type { World } from './world.ts';
import { report } from './world.ts';

/** The inputs by which zones of one world hand actors over and see each other's border. */
export type ZoneInput = Extract<WorldInput, { readonly type: 'release' | 'adopt' | 'ghosts' | 'damage' }>;

function isActorId(v: unknown): v is ActorId {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** Apply a zone input at the start of a step; whatever is refused is a problem naming why. */
export function applyZoneInput(world: World, input: ZoneInput): void {
  switch (input.type) {
    case 'release': {
      if (!isActorId(input.actor)) {
        report(world, 'invalid-input', `release input: actor must be a positive integer actor id, got ${JSON.stringify(input.actor)}`);
        return;
      }
      const r = releaseActor(world, input.actor);
      if (!r.ok) report(world, 'refused-transfer', `release input refused: ${r.error}`, input.actor);
      return;
    }
    case 'adopt': {
      const r = adoptActor(world, input.transfer);
      const id = (input.transfer as { id?: unknown } | null)?.id;
      if (!r.ok) report(world, 'refused-transfer', `adopt input refused: ${r.error}`, isActorId(id) ? id : undefined);
      return;
    }
    case 'ghosts':
      applyGhosts(world, input.source, input.ghosts);
      return;
    case 'damage':
      applyDamage(world, input.actor, input.amount, input.source);
      return;
  }
}

function applyGhosts(world: World, source: unknown, ghosts: unknown): void {
  if (typeof source !== 'string' || source === '') {
    report(world, 'invalid-input', `ghosts input: source must be a non-empty string naming the publishing zone, got ${JSON.stringify(source)}`);
    return;
  }
  if (!Array.isArray(ghosts)) {
    report(world, 'invalid-input', `ghosts input from '${source}': ghosts must be a list, got ${ghosts === null ? 'null' : typeof ghosts}`);
    return;
  }
  const valid: GhostBody[] = [];
  for (let i = 0; i < ghosts.length; i++) {
    const problem = ghostProblem(ghosts[i]);
    if (problem) report(world, 'invalid-input', `ghosts input from '${source}': ghosts[${i}].${problem}`);
    else valid.push(ghosts[i] as GhostBody);
  }
  world.ghosts.replace(source, valid, (id) => world.actors.has(id));
  world.spatialDirty = true;
}

/** A blow from an actor of another zone on one of ours, applied as a local blow is (no reach check: the source checked it). */
function applyDamage(world: World, target: unknown, amount: unknown, source: unknown): void {
  if (!isActorId(target) || !(typeof amount === 'number' && Number.isFinite(amount) && amount >= 0) || !(typeof source === 'number' && Number.isInteger(source) && source >= 0)) {
    report(world, 'invalid-input', `damage input: need { actor: actor id, amount: finite number >= 0, source: actor id }, got actor ${JSON.stringify(target)}, amount ${JSON.stringify(amount)}, source ${JSON.stringify(source)}`);
    return;
  }
  const t = world.actors.get(target)?.body;
  if (!t) {
    report(world, 'dead-letter', `damage input for actor ${target}, which ${world.ghosts.get(target) ? 'is a ghost here' : 'does not exist here or has no body'}`, target);
    return;
  }
  if (!t.alive || isShielded(world, target)) return;
  land(world, source, t, amount);
}

/**
 * Queue `message` for `to`, or, when no actor of that id lives here (a ghost, or an actor elsewhere), list it in
 * `out.undelivered` for the host to forward; an id unknown here is still counted as a dead letter.
 */
export function sendTo(world: World, to: ActorId, message: Message): void {
  if (world.actors.has(to)) {
    enqueue(world, to, message);
    return;
  }
  world.out.undelivered.push({ to, message });
  if (!world.ghosts.get(to)) enqueue(world, to, message);
}
