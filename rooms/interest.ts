import type { StateView } from '@colyseus/schema';
import type { ActorId, Body, World } from '../actors/index.ts';
import type { Audience, Projection } from './projection.ts';
import type { PlanState, PlayerState, SpeechState } from './state.ts';
import { cellAt, cellCircle, cellDistance } from './viewCell.ts';
import type { ViewCell } from './viewCell.ts';
import { ViewContents } from './viewContents.ts';
import { ViewGroup } from './viewGroup.ts';

/** How clients get their views: one per cell shared by the clients whose avatars are in it, or one each. */
export const VIEW_SHARING = ['cell', 'client'] as const;
export type ViewSharing = (typeof VIEW_SHARING)[number];

/** Settings of interest management. Distances in world units. */
export interface InterestOptions {
  /** Entities within this radius of a client's avatar enter its view. */
  readonly radius: number;
  /** Entities already in view leave it only beyond this radius (hysteresis: no flicker at the edge). */
  readonly exitRadius: number;
  /** Views are recomputed every this many ticks, staggered. */
  readonly refreshEvery: number;
  /** `client` (default): a view per client; `cell`: the clients whose avatars are in one cell share one view. */
  readonly sharing?: ViewSharing;
  /** Side of a cell (cell sharing), default the radius. */
  readonly cellSize?: number;
}

/** Where the room's clients are given their views (cell sharing moves clients from view to view). */
export interface ViewSeats {
  /** Give client `key` the view `view`: its patches are encoded with it from the next patch on. */
  assign(key: string, view: StateView): void;
  /** Whether client `key` has received the full state, so that it holds what its view held at the last patch. */
  synced(key: string): boolean;
}

/** One client. */
interface Seat {
  readonly key: string;
  /** The avatar the client follows (0 until it has spawned). */
  actor: ActorId;
  /** The client's own entry in `state.players`. */
  readonly player: PlayerState | undefined;
  /** Stagger of its cell check. */
  readonly phase: number;
  /** Cell sharing: the cell it counts in (kept while its avatar is within the margin outside it), or null. */
  cell: ViewCell | null;
  /** The group whose view the client should hold. */
  group: ViewGroup;
  /** The view the client has been given: its group's, or a mirror on the way into it. */
  given: ViewContents;
  /** The group `given` mirrors, when it is a mirror. */
  into: ViewGroup | null;
  /** Patches sent when `given` was given. */
  givenAt: number;
  /** The client changed groups since the last patch: it is given its new view after the next one. */
  moved: boolean;
}

/**
 * Keeps what each client receives to what is near its avatar. A client never receives the far world: an entity
 * enters a view within `radius`, leaves beyond `exitRadius`, and views are refreshed at a bounded rate, staggered
 * so that not every view is recomputed on the same tick. What else the state holds follows the entities:
 *
 * - a speech line goes, as it is said, to the views that hold its speaker (a bodiless narrator is heard by all),
 *   and stays in them until it ages out of the state; a client that comes near later does not get old lines;
 * - a pack's plan is in a view while its leader or one of its members is;
 * - a player's entry in `state.players` goes with its avatar, and its own client always holds it.
 *
 * With cell sharing, the clients whose avatars are in one square cell share one StateView, which Colyseus encodes
 * once per patch for all of them (each view costs a walk of the room's changed entities every patch); a client
 * alone in its cell keeps a view of its own (a cell's view covers about four times the area, which costs more
 * than it saves when no one shares it). A cell's view holds what is within `exitRadius` of the cell's square and
 * lets go beyond `exitRadius + margin`, where `margin = exitRadius − radius`; a client counts in a cell until its
 * avatar is more than `margin` outside it. So a client holds everything within `radius` of its avatar (more than
 * that, never less), and an entity leaves it only beyond `exitRadius`, as with a view of its own. A client that
 * changes views (cells, or between its own view and a shared one) is given, for one patch, a view of its own that
 * turns what it holds into what the new view holds (additions and removals only), then the new view; a client
 * that has not received the full state yet is given its view at once.
 * A client without an avatar holds a view of its own with its own entry.
 *
 * Each costs view operations only when it changes: a line said, a plan made, an entity entering or leaving.
 */
export class Interest implements Audience {
  readonly sharing: ViewSharing;
  private readonly cellSize: number;
  /** How far outside its cell an avatar may go before its client changes cells. */
  private readonly margin: number;
  private readonly seats = new Map<string, Seat>();
  private readonly groups = new Set<ViewGroup>();
  private readonly cells = new Map<string, ViewGroup>();
  /** Cell sharing: the clients counted in each cell. */
  private readonly occupants = new Map<string, Set<string>>();
  private nextPhase = 0;
  private nextGroupPhase = 0;
  private patches = 0;
  /** The groups that hold each actor. */
  private readonly holders = new Map<ActorId, Set<ViewGroup>>();
  /** Each avatar's entry in `state.players`. */
  private readonly players = new Map<ActorId, PlayerState>();
  /** The plans in `state.plans`, each with the actors whose visibility brings it into a view. */
  private readonly plans = new Map<PlanState, readonly ActorId[]>();

  constructor(private readonly world: World, private readonly projection: Projection, readonly options: InterestOptions, private readonly port?: ViewSeats) {
    if (!(options.radius > 0 && options.exitRadius >= options.radius)) {
      throw new RangeError(`Interest: need 0 < radius <= exitRadius, got ${options.radius}, ${options.exitRadius}`);
    }
    this.sharing = options.sharing ?? 'client';
    if (!VIEW_SHARING.includes(this.sharing)) throw new RangeError(`Interest: sharing must be one of ${VIEW_SHARING.join(', ')}, got '${String(this.sharing)}'`);
    this.cellSize = options.cellSize ?? options.radius;
    if (!(this.cellSize > 0)) throw new RangeError(`Interest: cellSize must be > 0, got ${this.cellSize}`);
    if (this.sharing === 'cell' && !port) throw new Error('Interest: cell sharing needs the room\'s seats, to move clients between views');
    this.margin = options.exitRadius - options.radius;
    projection.watchWith(this);
  }

  /** Whether some view holds actor `id` (the projection skips bodies no one can see). */
  watched(id: ActorId): boolean {
    return this.holders.has(id);
  }

  /** Number of distinct views. */
  get size(): number {
    return this.groups.size;
  }

  /**
   * Start a view for `key` (a session id); returns the StateView to give the client. `player` is the client's
   * entry in `state.players` (already in the state): the client always holds it, and it is shown to the views
   * that hold `actor`, its avatar.
   */
  open(key: string, actor: ActorId = 0, player?: PlayerState): StateView {
    this.close(key);
    if (player && actor) this.showPlayer(actor, player);
    const own = this.ownGroup(key, player);
    const seat: Seat = { key, actor, player, phase: this.nextPhase++ % this.options.refreshEvery, cell: null, group: own, given: own.main, into: null, givenAt: this.patches, moved: false };
    this.seats.set(key, seat);
    this.enter(seat, own);
    this.relocate(seat);
    // A client that has not received the full state yet is given its group's view at once.
    seat.given = seat.group.main;
    seat.moved = false;
    this.disposeIfUnused(own);
    this.refreshGroup(seat.group);
    return seat.given.view;
  }

  /** Point a view at its avatar (once the avatar has spawned) and fill it at once. */
  follow(key: string, actor: ActorId): void {
    const seat = this.seats.get(key);
    if (!seat) return;
    seat.actor = actor;
    if (seat.player) this.showPlayer(actor, seat.player);
    this.relocate(seat);
    this.refreshGroup(seat.group);
  }

  /** Drop a client's view. Its player entry still goes with its avatar (a dropped player may come back). */
  close(key: string): void {
    const seat = this.seats.get(key);
    if (!seat) return;
    this.seats.delete(key);
    this.leave(seat);
    const cell = seat.cell;
    if (cell) {
      this.count(seat, cell, -1);
      for (const other of [...(this.occupants.get(cell.key) ?? [])]) this.regroup(this.seats.get(other));
    }
    if (seat.into) {
      seat.into.mirrors.delete(seat.given);
      seat.given.dispose();
    }
    this.disposeIfUnused(seat.group);
    if (seat.given !== seat.group.main) for (const g of this.groups) if (g.main === seat.given) this.disposeIfUnused(g);
  }

  /** The player with avatar `actor` left: its entry is about to leave `state.players`; call before removing it. */
  playerLeft(actor: ActorId): void {
    const player = this.players.get(actor);
    this.players.delete(actor);
    if (player) for (const g of this.groups) g.each((c) => c.players.delete(player));
  }

  /** Entities in a client's view (actor ids), for inspection and tests. */
  visible(key: string): ReadonlySet<ActorId> {
    const seat = this.seats.get(key);
    return new Set(seat ? seat.group.main.entities.keys() : []);
  }

  /** Plans in a client's view, by pack id, for inspection and tests. */
  visiblePlans(key: string): string[] {
    return [...(this.seats.get(key)?.group.main.plans ?? [])].map((p) => p.pack).sort();
  }

  /** The StateView client `key` is given now (shared by the clients of one cell once they have settled in). */
  viewOf(key: string): StateView | undefined {
    return this.seats.get(key)?.given.view;
  }

  /** Whether client `key` holds its group's view itself (not a view of its own on the way into it). */
  settled(key: string): boolean {
    const seat = this.seats.get(key);
    return !!seat && seat.given === seat.group.main;
  }

  /** Take entities that are about to leave the state out of every view. Call before the projection removes them. */
  forget(ids: readonly ActorId[]): void {
    for (const id of ids) {
      const hs = this.holders.get(id);
      if (hs) for (const g of [...hs]) this.hide(g, id);
      this.players.delete(id);
    }
  }

  /** Refresh the views due on this tick (and, with cell sharing, move the clients due to the cells they are in). */
  refresh(tick: number): void {
    const every = this.options.refreshEvery;
    if (this.sharing === 'cell') for (const seat of this.seats.values()) if ((tick + seat.phase) % every === 0) this.relocate(seat);
    for (const g of [...this.groups]) if (!g.retired && (tick + g.phase) % every === 0) this.refreshGroup(g);
  }

  /** Recompute a client's view now. */
  refreshOne(key: string): void {
    const seat = this.seats.get(key);
    if (!seat) return;
    this.relocate(seat);
    this.refreshGroup(seat.group);
  }

  /**
   * Before a patch: whether a view given to several clients has changes of its own while the state may have none.
   * Colyseus then encodes each client's view separately and only the first would receive them; the room marks a
   * state field changed so that the view is encoded once for all.
   */
  needsSharedPass(): boolean {
    if (this.sharing !== 'cell' || !this.port) return false;
    const counts = new Map<ViewContents, number>();
    for (const seat of this.seats.values()) {
      if (!seat.given.view.changes.size || !this.port.synced(seat.key)) continue;
      const n = (counts.get(seat.given) ?? 0) + 1;
      if (n > 1) return true;
      counts.set(seat.given, n);
    }
    return false;
  }

  /**
   * After each patch (cell sharing): clients that have received their mirror for a patch are given their cell's
   * view, clients that changed cells are given a mirror (or the cell's view at once when they have not received
   * the full state yet), and views no one holds any more are disposed. Changes pending on a view no client
   * received are dropped: a client given it later gets it whole (the full state, or a mirror).
   */
  afterPatch(): void {
    const port = this.port;
    if (this.sharing !== 'cell' || !port) return;
    this.patches++;
    const received = new Set<ViewContents>();
    for (const seat of this.seats.values()) if (port.synced(seat.key)) received.add(seat.given);
    for (const g of this.groups) if (!received.has(g.main)) g.main.view.changes.clear();
    for (const seat of this.seats.values()) {
      if (seat.into && !seat.moved && seat.givenAt < this.patches && port.synced(seat.key)) {
        seat.into.mirrors.delete(seat.given);
        seat.given.dispose();
        this.give(seat, seat.group.main, null);
      }
    }
    const live = (line: SpeechState): boolean => this.projection.speechLine(line.seq) === line;
    for (const seat of this.seats.values()) {
      if (!seat.moved) continue;
      seat.moved = false;
      const g = seat.group;
      if (seat.given === g.main) continue;
      const old = seat.given, oldInto = seat.into;
      if (port.synced(seat.key)) {
        const mirror = ViewContents.copyOf(old, live);
        mirror.becomeLike(g.main);
        g.mirrors.add(mirror);
        this.give(seat, mirror, g);
      } else {
        this.give(seat, g.main, null);
      }
      if (oldInto) {
        oldInto.mirrors.delete(old);
        old.dispose();
      }
    }
    for (const g of [...this.groups]) this.disposeIfUnused(g);
  }

  /**
   * A line was said: it goes to the views that hold its speaker now, or to every view when the speaker has no
   * body (a narrator).
   */
  said(line: SpeechState): void {
    const speaker = this.world.actors.get(line.actor);
    if (!speaker) return;
    const audience = speaker.body ? this.holders.get(line.actor) : this.groups;
    if (!audience) return;
    for (const g of audience) g.each((c) => c.addLine(line));
  }

  /** Session ids of the clients that see `actor` now (every client for a bodiless speaker). */
  audienceOf(actor: ActorId): string[] {
    const speaker = this.world.actors.get(actor);
    if (!speaker) return [];
    if (!speaker.body) return [...this.seats.keys()];
    const out: string[] = [];
    for (const g of this.holders.get(actor) ?? []) for (const key of g.members) out.push(key);
    return out;
  }

  /** A plan entered the state or changed: it goes to the views that hold its leader or a member. */
  planned(plan: PlanState): void {
    const actors = [plan.leader];
    for (const a of plan.assignments) if (a.member !== plan.leader) actors.push(a.member);
    this.plans.set(plan, actors);
    for (const g of this.groups) this.placePlan(g, plan, actors);
  }

  /** A plan is leaving the state (its removal reaches the clients that hold it by itself). */
  unplanned(plan: PlanState): void {
    this.plans.delete(plan);
    for (const g of this.groups) g.each((c) => c.plans.delete(plan));
  }

  private give(seat: Seat, contents: ViewContents, into: ViewGroup | null): void {
    seat.given = contents;
    seat.into = into;
    seat.givenAt = this.patches;
    this.port?.assign(seat.key, contents.view);
  }

  /** A new view of a client's own, holding its player entry. */
  private ownGroup(key: string, player: PlayerState | undefined): ViewGroup {
    const g = new ViewGroup(null, this.nextGroupPhase++ % this.options.refreshEvery, { key, player });
    if (player) g.main.addPlayer(player);
    this.groups.add(g);
    return g;
  }

  private cellGroup(cell: ViewCell): ViewGroup {
    let g = this.cells.get(cell.key);
    if (!g) {
      g = new ViewGroup(cell, this.nextGroupPhase++ % this.options.refreshEvery);
      this.cells.set(cell.key, g);
      this.groups.add(g);
    }
    return g;
  }

  private enter(seat: Seat, g: ViewGroup): void {
    g.members.add(seat.key);
    g.retired = false;
    seat.group = g;
  }

  private leave(seat: Seat): void {
    const g = seat.group;
    g.members.delete(seat.key);
    if (g.members.size === 0) g.retired = true;
  }

  /**
   * Cell sharing: count a client in the cell its avatar is in, once it is more than the margin outside its own,
   * and regroup the clients of the cells it left and entered.
   */
  private relocate(seat: Seat): void {
    if (this.sharing !== 'cell') return;
    const body = this.bodyOf(seat.actor);
    const old = seat.cell;
    let cell = old;
    if (!body) cell = null;
    else if (!cell || cellDistance(cell, body.x, body.y) > this.margin) cell = cellAt(body.x, body.y, this.cellSize);
    if (cell?.key === old?.key) return;
    if (old) this.count(seat, old, -1);
    seat.cell = cell;
    if (cell) this.count(seat, cell, +1);
    this.regroup(seat);
    for (const c of [old, cell]) if (c) for (const other of [...(this.occupants.get(c.key) ?? [])]) if (other !== seat.key) this.regroup(this.seats.get(other));
  }

  private count(seat: Seat, cell: ViewCell, delta: 1 | -1): void {
    let set = this.occupants.get(cell.key);
    if (!set) this.occupants.set(cell.key, (set = new Set()));
    if (delta > 0) set.add(seat.key);
    else set.delete(seat.key);
    if (set.size === 0) this.occupants.delete(cell.key);
  }

  /**
   * Put a client in the group it belongs in: its cell's shared view when at least one other client is in that cell,
   * else a view of its own (one client alone in a cell is cheaper with a view of its radius than with its cell's).
   */
  private regroup(seat: Seat | undefined): void {
    if (!seat) return;
    const g = seat.group;
    const cell = seat.cell;
    let next: ViewGroup;
    if (cell && (this.occupants.get(cell.key)?.size ?? 0) >= 2) next = this.cellGroup(cell);
    else if (!g.cell) return; // already in a view of its own
    else next = this.ownGroup(seat.key, seat.player);
    if (next === g) return;
    this.leave(seat);
    this.enter(seat, next);
    seat.moved = true;
    this.refreshGroup(next);
  }

  private bodyOf(actor: ActorId): Body | undefined {
    return actor ? (this.world.actors.get(actor)?.body ?? undefined) : undefined;
  }

  /** Recompute what a group's view holds. */
  private refreshGroup(g: ViewGroup): void {
    let distance: (b: Body) => number, x: number, y: number, reach: number, enter: number, exit: number;
    const anchors: ActorId[] = [];
    const { radius, exitRadius } = this.options;
    if (g.cell) {
      const cell = g.cell;
      const c = cellCircle(cell);
      distance = (b) => cellDistance(cell, b.x, b.y);
      enter = exitRadius;
      exit = exitRadius + this.margin;
      x = c.x;
      y = c.y;
      reach = c.r + enter;
      for (const key of g.members) {
        const a = this.seats.get(key)?.actor;
        if (a) anchors.push(a);
      }
    } else {
      const seat = g.owner && this.seats.get(g.owner.key);
      const me = seat && this.bodyOf(seat.actor);
      if (!seat || !me) return;
      distance = (b) => Math.sqrt((b.x - me.x) ** 2 + (b.y - me.y) ** 2);
      enter = reach = radius;
      exit = exitRadius;
      x = me.x;
      y = me.y;
      anchors.push(seat.actor);
    }
    // Leave: beyond the exit distance, or gone.
    for (const id of [...g.main.entities.keys()]) {
      if (anchors.includes(id)) continue;
      const b = this.bodyOf(id);
      if (b && distance(b) <= exit) continue;
      this.hide(g, id);
    }
    // Enter: within the enter distance (the members' avatars always).
    for (const id of anchors) this.show(g, id);
    this.world.spatial.forEachWithin(x, y, reach, (b) => {
      if (distance(b) <= enter) this.show(g, b.id);
    });
    for (const [plan, actors] of this.plans) this.placePlan(g, plan, actors);
    for (const line of g.main.lines) if (this.projection.speechLine(line.seq) !== line) g.main.lines.delete(line);
  }

  /** Add `plan` to `g`'s view when one of `actors` is in it, take it out when none is. */
  private placePlan(g: ViewGroup, plan: PlanState, actors: readonly ActorId[]): void {
    let sees = false;
    for (const id of actors) {
      if (g.main.entities.has(id)) {
        sees = true;
        break;
      }
    }
    if (sees === g.main.plans.has(plan)) return;
    if (sees) g.each((c) => c.addPlan(plan));
    else g.each((c) => c.removePlan(plan));
  }

  /** Bind `player` to avatar `actor` and show it to the views that already hold the avatar. */
  private showPlayer(actor: ActorId, player: PlayerState): void {
    this.players.set(actor, player);
    const hs = this.holders.get(actor);
    if (hs) for (const g of hs) g.each((c) => c.addPlayer(player));
  }

  private show(g: ViewGroup, id: ActorId): void {
    if (g.main.entities.has(id)) return;
    const e = this.projection.entity(id);
    if (!e) return;
    let hs = this.holders.get(id);
    if (!hs) this.holders.set(id, (hs = new Set()));
    hs.add(g);
    this.projection.freshen(id);
    g.each((c) => c.addEntity(id, e));
    const player = this.players.get(id);
    if (player) g.each((c) => c.addPlayer(player));
  }

  private hide(g: ViewGroup, id: ActorId): void {
    if (!g.main.entities.has(id)) return;
    this.release(id, g);
    g.each((c) => c.removeEntity(id));
    const player = this.players.get(id);
    if (player && player !== g.owner?.player) g.each((c) => c.removePlayer(player));
  }

  private release(id: ActorId, g: ViewGroup): void {
    const hs = this.holders.get(id);
    if (!hs) return;
    hs.delete(g);
    if (hs.size === 0) this.holders.delete(id);
  }

  /** Dispose a group no client is in or holds the view of. */
  private disposeIfUnused(g: ViewGroup): void {
    if (!g.retired || !this.groups.has(g)) return;
    for (const seat of this.seats.values()) if (seat.given === g.main) return;
    this.groups.delete(g);
    if (g.cell && this.cells.get(g.cell.key) === g) this.cells.delete(g.cell.key);
    for (const id of g.main.entities.keys()) this.release(id, g);
    g.dispose();
  }
}
