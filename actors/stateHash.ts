import { StableHasher } from '../shared/index.ts';
import type { Actor, World } from './world.ts';
import { liveActors } from './world.ts';

/**
 * A stable hash of everything that determines the world's future: clock, counters, every actor (state,
 * mailbox, body, random stream, timers, asks) in ascending id, the timer queue and pending asks. Two worlds with
 * the same hash behave identically given the same inputs. Ghosts are not part of it: they are the neighbours' state.
 */
export function stateHash(world: World): string {
  const h = new StableHasher();
  h.number(world.tick).number(world.time).number(world.nextId).number(world.nextRequestId).number(world.nextTimerSeq);
  h.number(world.actors.size);
  const order = liveActors(world);
  for (let i = 0; i < order.length; i++) {
    const a = order[i] as Actor;
    h.number(a.id).string(a.kind).string(a.behaviourName).number(a.parent).number(a.incarnation).string(a.status).value(a.far);
    h.value(a.state);
    h.value(a.mailbox.toArray());
    const b = a.body;
    if (b) {
      h.number(b.x).number(b.y).number(b.vx).number(b.vy).number(b.heading).number(b.hp).number(b.maxHp);
      h.value(b.alive).string(b.faction).number(b.homeX).number(b.homeY).number(b.radius).number(b.speed);
    } else h.value(null);
    h.value(a.rng ? a.rng.save().alea : null);
    h.value(a.asks ?? null).value(a.timerKeys ?? null).value(a.restarts ?? null).value(a.children ?? null);
  }
  h.value(world.timers.entries().map((t) => [t.due, t.seq, t.actor, t.incarnation, t.key, t.data ?? null]));
  h.value([...world.pending.entries()].map(([id, p]) => [id, p.actor, p.incarnation, p.port, p.deadline, p.superseded]));
  return h.digest();
}
