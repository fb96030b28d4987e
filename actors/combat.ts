import type { Body } from './body.ts';
import type { ActorId } from './ids.ts';
import { enqueue } from './lifecycle.ts';
import { isShielded } from './shield.ts';
import type { Actor, World } from './world.ts';

/**
 * `attacker` hits `targetId` for `damage` if it is within `range` (edge to edge). A ghost target is not hurt here:
 * the blow is reported in `out.remoteAttacks` for the zone that owns it.
 */
export function attack(world: World, attacker: Actor, targetId: ActorId, damage: number, range: number): void {
  const a = attacker.body;
  if (!a || !a.alive) return;
  const target = world.actors.get(targetId);
  const ghost = target ? undefined : world.ghosts.get(targetId);
  const t = target ? target.body : ghost?.body;
  if (!t || !t.alive || t === a) return;
  if (ghost ? ghost.shielded : isShielded(world, targetId)) return;
  const reach = range + a.radius + t.radius;
  const dx = t.x - a.x;
  const dy = t.y - a.y;
  if (dx * dx + dy * dy > reach * reach) return;
  if (ghost) world.out.remoteAttacks.push({ attacker: attacker.id, target: targetId, damage });
  else land(world, attacker.id, t, damage);
}

/**
 * A blow lands on body `t` (alive, not shielded, in reach): hp, `out.attacks`, the `hit` message and, at 0 hp, death
 * and the `died` message. `attacker` may be an actor of another world (a `damage` input).
 */
export function land(world: World, attacker: ActorId, t: Body, damage: number): void {
  t.hp = Math.max(0, t.hp - damage);
  markChanged(world, t);
  world.out.attacks.push({ attacker, target: t.id, damage, hp: t.hp, killed: t.hp === 0 });
  enqueue(world, t.id, { type: 'hit', from: attacker, amount: damage });
  if (t.hp === 0) {
    t.alive = false;
    t.vx = 0;
    t.vy = 0;
    world.stats.deaths++;
    enqueue(world, t.id, { type: 'died', by: attacker });
  }
}

/** List a body in this step's `changed` output once. */
export function markChanged(world: World, b: Body): void {
  if (b.changedAt === world.tick) return;
  b.changedAt = world.tick;
  world.out.changed[world.changedCount++] = b.id;
}
