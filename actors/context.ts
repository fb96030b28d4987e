import type { Rng, TerrainQuery } from '../shared/index.ts';
import type { ActorContext } from './behaviour.ts';
import type { Body } from './body.ts';
import type { ActorId } from './ids.ts';
import type { Actor, World } from './world.ts';

/**
 * The context handed to behaviours. One instance per world, re-pointed at each actor before its turn, so
 * delivering a message allocates nothing.
 */
export class WorldContext implements ActorContext<unknown> {
  private actor: Actor | null = null;

  constructor(private readonly world: World) {}

  /** Point the context at `actor` for the calls that follow. */
  bind(actor: Actor): this {
    this.actor = actor;
    return this;
  }

  private get current(): Actor {
    if (!this.actor) throw new Error('WorldContext used outside a delivery');
    return this.actor;
  }

  get self(): ActorId {
    return this.current.id;
  }
  get parent(): ActorId {
    return this.current.parent;
  }
  get body(): Readonly<Body> | null {
    return this.current.body;
  }
  get params(): unknown {
    return this.current.params;
  }
  get time(): number {
    return this.world.time;
  }
  get tick(): number {
    return this.world.tick;
  }
  get dt(): number {
    return this.world.config.dt;
  }
  get terrain(): TerrainQuery {
    return this.world.terrain;
  }
  get rng(): Rng {
    const a = this.current;
    if (!a.rng) a.rng = this.world.rng.fork(`actor:${a.id}`);
    return a.rng;
  }

  bodyOf(id: ActorId): Readonly<Body> | undefined {
    return this.world.actors.get(id)?.body ?? undefined;
  }

  nearest(radius: number, accept: (candidate: Readonly<Body>, self: Readonly<Body>) => boolean): Readonly<Body> | undefined {
    const me = this.current.body;
    return me ? this.world.spatial.nearest(me, radius, accept) : undefined;
  }

  within(x: number, y: number, radius: number): Readonly<Body>[] {
    return this.world.spatial.within(x, y, radius).filter((b) => b.alive);
  }
}
