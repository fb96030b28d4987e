import { StateView } from '@colyseus/schema';
import type { ActorId, World } from '../actors/index.ts';
import type { Audience, Projection } from './projection.ts';
import type { PlanState, PlayerState, SpeechState } from './state.ts';

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
  /** The client's session id. */
  readonly key: string;
  readonly view: StateView;
  /** Actor ids currently in the view. */
  readonly visible: Set<ActorId>;
  /** The avatar the view follows (0 until it has spawned). */
  actor: ActorId;
  /** Stagger: refreshed when (tick + phase) % refreshEvery === 0. */
  readonly phase: number;
  /** The client's own entry in `state.players`, always in its view. */
  readonly player: PlayerState | undefined;
  /** Plans in the view. */
  readonly plans: Set<PlanState>;
}

/**
 * Keeps each client's StateView to what is near its avatar. A client never receives the far world: an entity
 * enters a view within `radius`, leaves beyond `exitRadius`, and views are refreshed at a bounded rate, staggered
 * so that not every client is recomputed on the same tick. What else the state holds follows the entities:
 *
 * - a speech line goes, as it is said, to the views that hold its speaker (a bodiless narrator is heard by all),
 *   and stays in them until it ages out of the state; a client that comes near later does not get old lines;
 * - a pack's plan is in a view while its leader or one of its members is;
 * - a player's entry in `state.players` is in its own client's view always, and in other views along with its
 *   avatar.
 *
 * Each costs view operations only when it changes: a line said, a plan made, an entity entering or leaving.
 */
export class Interest implements Audience {
  private readonly watchers = new Map<string, Watcher>();
  private nextPhase = 0;
  /** The views that hold each actor. */
  private readonly holders = new Map<ActorId, Set<Watcher>>();
  /** Each avatar's entry in `state.players`. */
  private readonly players = new Map<ActorId, PlayerState>();
  /** The plans in `state.plans`, each with the actors whose visibility brings it into a view. */
  private readonly plans = new Map<PlanState, readonly ActorId[]>();

  constructor(private readonly world: World, private readonly projection: Projection, readonly options: InterestOptions) {
    if (!(options.radius > 0 && options.exitRadius >= options.radius)) {
      throw new RangeError(`Interest: need 0 < radius <= exitRadius, got ${options.radius}, ${options.exitRadius}`);
    }
    projection.watchWith(this);
  }

  /** Whether some view holds actor `id` (the projection skips bodies no one can see). */
  watched(id: ActorId): boolean {
    return this.holders.has(id);
  }

  /** Number of views. */
  get size(): number {
    return this.watchers.size;
  }

  /**
   * Start a view for `key` (a session id); returns the StateView to give the client. `player` is the client's
   * entry in `state.players` (already in the state): always in this view, and shown to the views that hold
   * `actor`, its avatar.
   */
  open(key: string, actor: ActorId = 0, player?: PlayerState): StateView {
    this.close(key);
    const view = new StateView();
    this.watchers.set(key, { key, view, visible: new Set(), actor, phase: this.nextPhase++ % this.options.refreshEvery, player, plans: new Set() });
    if (player) {
      view.add(player);
      if (actor) this.showPlayer(actor, player);
    }
    if (actor) this.refreshOne(key);
    return view;
  }

  /** Point a view at its avatar (once the avatar has spawned) and fill it at once. */
  follow(key: string, actor: ActorId): void {
    const w = this.watchers.get(key);
    if (!w) return;
    w.actor = actor;
    if (w.player) this.showPlayer(actor, w.player);
    this.refreshOne(key);
  }

  /** Drop a view. The client's player entry still goes with its avatar (a dropped player may come back). */
  close(key: string): void {
    const w = this.watchers.get(key);
    if (!w) return;
    this.watchers.delete(key);
    for (const id of w.visible) this.release(id, w);
    w.view.dispose();
  }

  /** The player with avatar `actor` left: its entry is about to leave `state.players`; call before removing it. */
  playerLeft(actor: ActorId): void {
    this.players.delete(actor);
  }

  /** Entities in a view (actor ids), for inspection and tests. */
  visible(key: string): ReadonlySet<ActorId> {
    return this.watchers.get(key)?.visible ?? new Set();
  }

  /** Plans in a view, by pack id, for inspection and tests. */
  visiblePlans(key: string): string[] {
    return [...(this.watchers.get(key)?.plans ?? [])].map((p) => p.pack).sort();
  }

  /** Take entities that are about to leave the state out of every view. Call before the projection removes them. */
  forget(ids: readonly ActorId[]): void {
    for (const id of ids) {
      const hs = this.holders.get(id);
      if (hs) for (const w of [...hs]) this.hide(w, id);
      this.players.delete(id);
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
      this.hide(w, id);
    }
    // Enter: within the radius (the avatar itself always).
    this.show(w, w.actor);
    this.world.spatial.forEachWithin(me.x, me.y, radius, (b) => {
      this.show(w, b.id);
    });
    for (const [plan, actors] of this.plans) this.placePlan(w, plan, actors);
  }

  /**
   * A line was said: it goes to the views that hold its speaker now, or to every view when the speaker has no
   * body (a narrator).
   */
  said(line: SpeechState): void {
    const speaker = this.world.actors.get(line.actor);
    if (!speaker) return;
    const audience = speaker.body ? this.holders.get(line.actor) : this.watchers.values();
    if (!audience) return;
    for (const w of audience) if (!w.view.has(line)) w.view.add(line);
  }

  /** Session ids of the clients that see `actor` now (every client for a bodiless speaker). */
  audienceOf(actor: ActorId): string[] {
    const speaker = this.world.actors.get(actor);
    if (!speaker) return [];
    const audience = speaker.body ? this.holders.get(actor) : this.watchers.values();
    return audience ? [...audience].map((w) => w.key) : [];
  }

  /** A plan entered the state or changed: it goes to the views that hold its leader or a member. */
  planned(plan: PlanState): void {
    const actors = [plan.leader];
    for (const a of plan.assignments) if (a.member !== plan.leader) actors.push(a.member);
    this.plans.set(plan, actors);
    for (const w of this.watchers.values()) this.placePlan(w, plan, actors);
  }

  /** A plan is leaving the state (its removal reaches the clients that hold it by itself). */
  unplanned(plan: PlanState): void {
    this.plans.delete(plan);
    for (const w of this.watchers.values()) w.plans.delete(plan);
  }

  /** Add `plan` to `w`'s view when one of `actors` is in it, take it out when none is. */
  private placePlan(w: Watcher, plan: PlanState, actors: readonly ActorId[]): void {
    let sees = false;
    for (const id of actors) {
      if (w.visible.has(id)) {
        sees = true;
        break;
      }
    }
    if (sees === w.plans.has(plan)) return;
    if (sees) {
      w.plans.add(plan);
      if (!w.view.has(plan)) w.view.add(plan);
    } else {
      w.plans.delete(plan);
      if (w.view.has(plan)) w.view.remove(plan);
    }
  }

  /** Bind `player` to avatar `actor` and show it to the views that already hold the avatar. */
  private showPlayer(actor: ActorId, player: PlayerState): void {
    this.players.set(actor, player);
    const hs = this.holders.get(actor);
    if (hs) for (const w of hs) if (!w.view.has(player)) w.view.add(player);
  }

  private show(w: Watcher, id: ActorId): void {
    if (w.visible.has(id)) return;
    const e = this.projection.entity(id);
    if (!e) return;
    w.visible.add(id);
    let hs = this.holders.get(id);
    if (!hs) this.holders.set(id, (hs = new Set()));
    hs.add(w);
    this.projection.freshen(id);
    if (!w.view.has(e)) w.view.add(e);
    const player = this.players.get(id);
    if (player && !w.view.has(player)) w.view.add(player);
  }

  private hide(w: Watcher, id: ActorId): void {
    if (!w.visible.delete(id)) return;
    this.release(id, w);
    const e = this.projection.entity(id);
    if (e && w.view.has(e)) w.view.remove(e);
    const player = this.players.get(id);
    if (player && player !== w.player && w.view.has(player)) w.view.remove(player);
  }

  private release(id: ActorId, w: Watcher): void {
    const hs = this.holders.get(id);
    if (!hs) return;
    hs.delete(w);
    if (hs.size === 0) this.holders.delete(id);
  }
}
