import { npcRoleOf } from '../actors/index.ts';
import type { Actor, Body, StepReport, World } from '../actors/index.ts';
import { projectPlans } from './planProjection.ts';
import { EntityState, SpeechState } from './state.ts';
import type { PlanState, WorldState } from './state.ts';

/** Least change of facing (radians, about 4°) written to the state. */
const HEADING_STEP = 0.07;

/**
 * How long a speech line stays in the state, in seconds of simulation time: a little longer than a client shows
 * its bubble (5 s). A client receives a line once, as it is said; keeping it costs no bandwidth.
 */
export const SPEECH_SECONDS = 6;

/** At most this many lines stay in the state, room-wide (the oldest go first): the bound of a busy room. */
export const SPEECH_KEPT = 256;

/**
 * Who gets to see what. The projection asks it before writing bodies, and tells it about the speech lines and
 * plans it puts in the state, so that it can put them in the views of the clients they concern
 * (the room's audience is its Interest, rooms/interest.ts).
 */
export interface Audience {
  /** Whether some client can see actor `id`. */
  watched(id: number): boolean;
  /** `line` was just added to `state.speech`. */
  said(line: SpeechState): void;
  /** `plan` was just added to `state.plans`, or replaced by a newer plan of the same pack (its members may differ). */
  planned(plan: PlanState): void;
  /** `plan` is about to leave `state.plans`. */
  unplanned(plan: PlanState): void;
}

/** Everything counts as seen and nothing needs routing: the projection on its own (tests, tools). */
const EVERYONE: Audience = { watched: () => true, said: () => {}, planned: () => {}, unplanned: () => {} };

/**
 * Writes the simulation into the Colyseus state after each step: new entities, removed ones, and the fields of
 * bodies that changed, and only fields whose value differs, so an idle monster costs nothing on the wire.
 * The simulation never sees the schema.
 */
export class Projection {
  private speechSeq = 0;
  /** The lines in `state.speech`, oldest first. */
  private readonly lines: SpeechState[] = [];
  /** Entities that showed an attack animation last step, to reset. */
  private attacking: number[] = [];
  /** The room coordinator's actor id once found (-1: not looked for yet; 0: none so far). */
  private coordinator = -1;
  /** Who sees what; everything counts as seen until {@link watchWith} says otherwise. */
  private audience: Audience = EVERYONE;
  /** Speech lines kept are those said on or after this many ticks ago. */
  private readonly speechTicks: number;
  /** Entities whose body changed while no client could see them: copied when one comes to see them. */
  private readonly stale = new Set<number>();
  /** Entities that stand for ghosts (neighbours' actors seen across a border). */
  private readonly ghostIds = new Set<number>();

  constructor(private readonly world: World, private readonly state: WorldState) {
    this.speechTicks = Math.ceil(SPEECH_SECONDS / world.config.dt);
  }

  /**
   * Copy bodies only for entities some client can see (`audience.watched`), and remember the rest as stale until
   * {@link freshen}: in a large world most bodies are far from every player, and writing their fields into
   * the state would only record changes that no view sends. Speech lines and plans are handed to the audience
   * as they enter the state.
   */
  watchWith(audience: Audience): void {
    this.audience = audience;
  }

  /** Bring entity `id` up to date if it changed while unseen; call before it enters a view. */
  freshen(id: number): void {
    if (!this.stale.delete(id)) return;
    const actor = this.world.actors.get(id);
    const e = this.entity(id);
    if (actor?.body && e) this.copyBody(actor, e);
  }

  /** Entity of actor `id`, if it has one. */
  entity(id: number): EntityState | undefined {
    return this.state.entities.get(String(id));
  }

  /** The speech line `seq` while it is in the state. */
  speechLine(seq: number): SpeechState | undefined {
    return this.state.speech.get(String(seq));
  }

  /** Add every actor with a body (after a world is created or restored). */
  syncAll(): void {
    for (const actor of this.world.actors.values()) this.add(actor);
  }

  /** Apply one step's report. Returns the ids removed, so views can forget them. */
  apply(report: StepReport): readonly number[] {
    const entities = this.state.entities;
    for (const id of report.spawned) {
      const actor = this.world.actors.get(id);
      if (actor) this.add(actor);
    }
    for (const id of report.removed) {
      entities.delete(String(id));
      this.stale.delete(id);
    }
    for (const id of this.attacking) {
      const e = entities.get(String(id));
      if (e && e.anim === 'attack') e.anim = this.animOf(this.world.actors.get(id));
    }
    this.attacking.length = 0;
    const audience = this.audience;
    for (const id of report.changed) {
      if (!audience.watched(id)) {
        this.stale.add(id);
        continue;
      }
      const actor = this.world.actors.get(id);
      const e = entities.get(String(id));
      if (actor?.body && e) this.copyBody(actor, e);
    }
    for (const a of report.attacks) {
      if (!audience.watched(a.attacker)) continue;
      const e = entities.get(String(a.attacker));
      if (e && e.anim !== 'attack' && e.anim !== 'dead') {
        e.anim = 'attack';
        this.attacking.push(a.attacker);
      }
    }
    this.forgetOldSpeech();
    for (const ev of report.events) this.say(ev.actor, ev.event.kind, ev.event.text);
    this.coordinator = projectPlans(this.world, this.state, this.coordinator, report.spawned, audience);
    this.state.meta.tick = this.world.tick;
    return report.removed;
  }

  /**
   * Entities for the neighbours' actors this zone sees across its borders (ghosts): added, moved, and removed
   * when their zone stops publishing them. A ghost that became an actor here keeps its entity. Returns the ids
   * whose entities went, so views can forget them.
   */
  syncGhosts(): number[] {
    const ghosts = this.world.ghosts;
    const entities = this.state.entities;
    const gone: number[] = [];
    for (const id of this.ghostIds) {
      if (ghosts.get(id)) continue;
      this.ghostIds.delete(id);
      if (this.world.actors.has(id)) continue;
      entities.delete(String(id));
      gone.push(id);
    }
    for (const b of ghosts.bodies()) {
      const g = ghosts.get(b.id);
      if (!g) continue;
      let e = entities.get(String(b.id));
      if (!e) {
        const tags = g.tags ?? {};
        e = new EntityState({ id: b.id, kind: g.kind, species: String(tags.species ?? ''), name: String(tags.name ?? ''), pack: String(tags.pack ?? '') });
        entities.set(String(b.id), e);
        this.ghostIds.add(b.id);
      }
      this.copyFields(b, e);
    }
    return gone;
  }

  /**
   * Append a speech line by actor `actor` and hand it to the audience (which shows it to the clients that can see
   * the speaker now); drop the oldest lines past {@link SPEECH_KEPT}.
   */
  say(actor: number, kind: string, text: string): void {
    const line = new SpeechState({ seq: ++this.speechSeq, actor, name: this.nameOf(actor), kind, text, tick: this.world.tick });
    this.state.speech.set(String(line.seq), line);
    this.lines.push(line);
    this.audience.said(line);
    if (this.lines.length > SPEECH_KEPT) this.state.speech.delete(String((this.lines.shift() as SpeechState).seq));
  }

  /** Lines said so far in this room (the `seq` of the latest). */
  get linesSaid(): number {
    return this.speechSeq;
  }

  /** Drop lines older than {@link SPEECH_SECONDS} (the clients that received them drop them too). */
  private forgetOldSpeech(): void {
    const oldest = this.world.tick - this.speechTicks;
    let n = 0;
    while (n < this.lines.length && (this.lines[n] as SpeechState).tick < oldest) this.state.speech.delete(String((this.lines[n++] as SpeechState).seq));
    if (n > 0) this.lines.splice(0, n);
  }

  private nameOf(id: number): string {
    const actor = this.world.actors.get(id);
    if (!actor) return '';
    if (!actor.body) return 'Narrator';
    // Never empty: a line without a name shows as an actor id in the chat log.
    const tags = actor.tags ?? {};
    return String(tags.name || tags.species || actor.kind);
  }

  private add(actor: Actor): void {
    if (!actor.body || this.state.entities.has(String(actor.id))) return;
    const tags = actor.tags ?? {};
    // Read from the NPC's params, not its tags: an NPC spawned without a stance tag has one all the same.
    const npc = actor.behaviourName === 'npc' ? npcRoleOf(actor.params) : null;
    const e = new EntityState({
      id: actor.id,
      kind: actor.kind,
      species: String(tags.species ?? ''),
      name: String(tags.name ?? ''),
      pack: String(tags.pack ?? ''),
      ...(npc && { role: npc.role, stance: npc.stance }),
    });
    this.copyBody(actor, e);
    this.state.entities.set(String(actor.id), e);
  }

  private copyBody(actor: Actor, e: EntityState): void {
    const b = actor.body;
    if (!b) return;
    this.copyFields(b, e);
  }

  private copyFields(b: Body, e: EntityState): void {
    const x = Math.fround(b.x);
    const y = Math.fround(b.y);
    const heading = Math.fround(b.heading);
    if (e.x !== x) e.x = x;
    if (e.y !== y) e.y = y;
    // Facing is for drawing: turns below HEADING_STEP are not worth a patch (a chasing monster turns a little
    // every tick).
    const turn = Math.abs(e.heading - heading);
    if (turn > HEADING_STEP && turn < 2 * Math.PI - HEADING_STEP) e.heading = heading;
    if (e.hp !== b.hp) e.hp = b.hp;
    if (e.maxHp !== b.maxHp) e.maxHp = b.maxHp;
    const anim = animOfBody(b);
    if (e.anim !== anim && e.anim !== 'attack') e.anim = anim;
    else if (e.anim === 'attack' && anim === 'dead') e.anim = anim;
  }

  private animOf(actor: Actor | undefined): string {
    const b = actor?.body;
    return b ? animOfBody(b) : 'idle';
  }
}

function animOfBody(b: Body): string {
  if (!b.alive) return 'dead';
  return b.vx !== 0 || b.vy !== 0 ? 'walk' : 'idle';
}
