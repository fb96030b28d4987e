import type { Rng, TerrainQuery } from '../shared/index.ts';
import type { ActorContext } from './behaviour.ts';
import type { Body } from './body.ts';
import type { ActorId } from './ids.ts';
import { anyShielded, isShielded } from './shield.ts';
import type { Actor, World } from './world.ts';

const playerPredicates = new WeakMap<World, (b: Body) => boolean>();

/** A predicate (one per world) accepting the bodies of player actors. */
function isPlayerKind(world: World): (b: Body) => boolean {
  let f = playerPredicates.get(world);
  if (!f) {
    f = (b: Body) => world.players.has(b.id) || world.ghosts.players.has(b.id);
    playerPredicates.set(world, f);
  }
  return f;
}

const ANY_FOE = (): boolean => true;
const NO_TAGS: Readonly<Record<string, string | number | boolean>> = Object.freeze({});

/**
 * The context handed to behaviours. One instance per world, re-pointed at each actor before its turn, so
 * delivering a message allocates nothing.
 */
export class WorldContext implements ActorContext<unknown> {
  private actor: Actor | null = null;
  // Plain fields, set by bind(): behaviours read them many times per message, so no getters on the hot path.
  self: ActorId = 0;
  parent: ActorId = 0;
  body: Readonly<Body> | null = null;
  params: unknown = undefined;
  tags: Readonly<Record<string, string | number | boolean>> = NO_TAGS;
  time = 0;
  tick = 0;
  dt: number;
  terrain: TerrainQuery;
  private shieldCheckedAt = -1;
  private someShielded = false;

  constructor(private readonly world: World) {
    this.dt = world.config.dt;
    this.terrain = world.terrain;
  }

  /** Point the context at `actor` for the calls that follow (and at the world's current time). */
  bind(actor: Actor): this {
    this.actor = actor;
    this.self = actor.id;
    this.parent = actor.parent;
    this.body = actor.body;
    this.params = actor.params;
    this.tags = actor.tags ?? NO_TAGS;
    this.time = this.world.time;
    this.tick = this.world.tick;
    return this;
  }

  private get current(): Actor {
    if (!this.actor) throw new Error('WorldContext used outside a delivery');
    return this.actor;
  }

  get rng(): Rng {
    const a = this.current;
    if (!a.rng) a.rng = this.world.rng.fork(`actor:${a.id}`);
    return a.rng;
  }

  bodyOf(id: ActorId): Readonly<Body> | undefined {
    const a = this.world.actors.get(id);
    return a ? a.body ?? undefined : this.world.ghosts.get(id)?.body;
  }

  nearest(radius: number, accept: (candidate: Readonly<Body>, self: Readonly<Body>) => boolean): Readonly<Body> | undefined {
    const me = this.current.body;
    return me ? this.world.spatial.nearest(me, radius, this.unshielded(accept)) : undefined;
  }

  nearestFoe(radius: number, accept: (candidate: Readonly<Body>, self: Readonly<Body>) => boolean = ANY_FOE): Readonly<Body> | undefined {
    const me = this.current.body;
    return me ? this.world.spatial.nearest(me, radius, this.unshielded(accept), true) : undefined;
  }

  /** `accept`, refusing shielded bodies too while any avatar is shielded (checked once per step). */
  private unshielded(accept: (candidate: Readonly<Body>, self: Readonly<Body>) => boolean): (candidate: Readonly<Body>, self: Readonly<Body>) => boolean {
    const world = this.world;
    if (this.shieldCheckedAt !== world.tick) {
      this.shieldCheckedAt = world.tick;
      this.someShielded = anyShielded(world);
    }
    if (!this.someShielded) return accept;
    return (c, s) => accept(c, s) && !isShielded(world, c.id);
  }

  nearestPlayer(radius: number): Readonly<Body> | undefined {
    const me = this.current.body;
    const players = this.world.players;
    const ghosts = this.world.ghosts;
    const count = players.size + ghosts.players.size;
    if (!me || count === 0) return undefined;
    // A far actor has no player within the level-of-detail radius.
    if (this.current.far && radius <= this.world.config.lodRadius) return undefined;
    if (count > 32) return this.world.spatial.nearest(me, radius, isPlayerKind(this.world));
    let best: Body | undefined;
    let bestD2 = radius * radius;
    for (const id of players) {
      const b = this.world.actors.get(id)?.body;
      if (!b || !b.alive || b === me) continue;
      const d2 = (b.x - me.x) ** 2 + (b.y - me.y) ** 2;
      if (d2 < bestD2 || (d2 === bestD2 && best && b.id < best.id)) {
        best = b;
        bestD2 = d2;
      }
    }
    if (ghosts.players.size > 0) {
      for (const id of ghosts.players) {
        const b = ghosts.get(id)?.body;
        if (!b || !b.alive) continue;
        const d2 = (b.x - me.x) ** 2 + (b.y - me.y) ** 2;
        if (d2 < bestD2 || (d2 === bestD2 && best && b.id < best.id)) {
          best = b;
          bestD2 = d2;
        }
      }
    }
    return best;
  }

  within(x: number, y: number, radius: number): Readonly<Body>[] {
    return this.world.spatial.within(x, y, radius).filter((b) => b.alive);
  }

  players(): Readonly<Body>[] {
    const out: Body[] = [];
    for (const id of this.world.players) {
      const b = this.world.actors.get(id)?.body;
      if (b && b.alive) out.push(b);
    }
    for (const id of this.world.ghosts.players) {
      const b = this.world.ghosts.get(id)?.body;
      if (b && b.alive) out.push(b);
    }
    return out.sort((a, b) => a.id - b.id);
  }

  tagsOf(id: ActorId): Readonly<Record<string, string | number | boolean>> {
    const a = this.world.actors.get(id);
    return (a ? a.tags : this.world.ghosts.get(id)?.tags) ?? NO_TAGS;
  }

  kindOf(id: ActorId): string {
    const a = this.world.actors.get(id);
    return (a ? a.kind : this.world.ghosts.get(id)?.kind) ?? '';
  }
}
