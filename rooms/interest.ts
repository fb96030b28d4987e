import { StateView } from '@colyseus/schema';
import type { ActorId, World } from '../actors/index.ts';
import type { Projection } from './projection.ts';

/** Settings of interest management. Distances in world units. */
export interface InterestOptions {
  /** Entities within this radius of a client's avatar enter its view. */
  readonly radius: number;
  /** Entities already in view leave it only beyond this radius (hysteresis: no flicker at the edge). */
  readonly exitRadius: number;
  /** A client's view is recomputed every this many ticks, staggered across clients. */
  readonly refreshEvery: number;
}

/** One client's view. */
interface Watcher {
  readonly view: StateView;
  /** Actor ids currently in the view. */
  readonly visible: Set<ActorId>;
  /** The avatar the view follows (0 until it has spawned). */
  actor: ActorId;
  /** Stagger: refreshed when (tick + phase) % refreshEvery === 0. */
  readonly phase: number;
}

/**
 * Keeps each client's StateView to the entities near its avatar. A client never receives the far world: an
 * entity enters a view within `radius`, leaves beyond `exitRadius`, and views are refreshed at a bounded
 * rate, staggered so that not every client is recomputed on the same tick.
 */
export class Interest {
  private readonly watchers = new Map<string, Watcher>();
  private nextPhase = 0;
  /** How many views hold each actor. */
  private readonly holders = new Map<ActorId, number>();

  constructor(private readonly world: World, private readonly projection: Projection, readonly options: InterestOptions) {
    if (!(options.radius > 0 && options.exitRadius >= options.radius)) {
      throw new RangeError(`Interest: need 0 < radius <= exitRadius, got ${options.radius}, ${options.exitRadius}`);
    }
    projection.watchWith((id) => this.watched(id));
  }

  /** Whether some view holds actor `id` (the projection skips bodies no one can see). */
  watched(id: ActorId): boolean {
    return this.holders.has(id);
  }

  /** Number of views. */
  get size(): number {
    return this.watchers.size;
  }

  /** Start a view for `key` (a session id); returns the StateView to give the client. */
  open(key: string, actor: ActorId = 0): StateView {
    this.close(key);
    const view = new StateView();
    this.watchers.set(key, { view, visible: new Set(), actor, phase: this.nextPhase++ % this.options.refreshEvery });
    if (actor) this.refreshOne(key);
    return view;
  }

  /** Point a view at its avatar (once the avatar has spawned) and fill it at once. */
  follow(key: string, actor: ActorId): void {
    const w = this.watchers.get(key);
    if (!w) return;
    w.actor = actor;
    this.refreshOne(key);
  }

  /** Drop a view. */
  close(key: string): void {
    const w = this.watchers.get(key);
    if (!w) return;
    this.watchers.delete(key);
    for (const id of w.visible) this.release(id);
    w.view.dispose();
  }

  /** Entities in a view (actor ids), for inspection and tests. */
  visible(key: string): ReadonlySet<ActorId> {
    return this.watchers.get(key)?.visible ?? new Set();
  }

  /** Take entities that are about to leave the state out of every view. Call before the projection removes them. */
  forget(ids: readonly ActorId[]): void {
    if (ids.length === 0) return;
    for (const w of this.watchers.values()) {
      for (const id of ids) {
        if (!w.visible.delete(id)) continue;
        this.release(id);
        const e = this.projection.entity(id);
        if (e && w.view.has(e)) w.view.remove(e);
      }
    }
  }

  /** Refresh the views due on this tick. */
  refresh(tick: number): void {
    const every = this.options.refreshEvery;
    for (const [key, w] of this.watchers) if ((tick + w.phase) % every === 0) this.refreshOne(key);
  }

  /** Recompute one view now. */
  refreshOne(key: string): void {
    const w = this.watchers.get(key);
    if (!w || !w.actor) return;
    const me = this.world.actors.get(w.actor)?.body;
    if (!me) return;
    const { radius, exitRadius } = this.options;
    const exit2 = exitRadius * exitRadius;
    // Leave: beyond the exit radius, or gone.
    for (const id of w.visible) {
      if (id === w.actor) continue;
      const b = this.world.actors.get(id)?.body;
      if (b && (b.x - me.x) ** 2 + (b.y - me.y) ** 2 <= exit2) continue;
      w.visible.delete(id);
      this.release(id);
      const e = this.projection.entity(id);
      if (e && w.view.has(e)) w.view.remove(e);
    }
    // Enter: within the radius (the avatar itself always).
    this.enter(w, w.actor);
    this.world.spatial.forEachWithin(me.x, me.y, radius, (b) => {
      this.enter(w, b.id);
    });
  }

  private enter(w: Watcher, id: ActorId): void {
    if (w.visible.has(id)) return;
    const e = this.projection.entity(id);
    if (!e) return;
    w.visible.add(id);
    this.holders.set(id, (this.holders.get(id) ?? 0) + 1);
    this.projection.freshen(id);
    if (!w.view.has(e)) w.view.add(e);
  }

  private release(id: ActorId): void {
    const n = (this.holders.get(id) ?? 0) - 1;
    if (n > 0) this.holders.set(id, n);
    else this.holders.delete(id);
  }
}
