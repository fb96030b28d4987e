import type { Actor, StepReport, World } from '../actors/index.ts';
import { projectPlans } from './planProjection.ts';
import { EntityState, SpeechState } from './state.ts';
import type { WorldState } from './state.ts';

/** Least change of facing (radians, about 4°) written to the state. */
const HEADING_STEP = 0.07;

/** Speech lines kept in the state (the most recent). */
const SPEECH_KEPT = 24;

/**
 * Writes the simulation into the Colyseus state after each step: new entities, removed ones, and the fields of
 * bodies that changed, and only fields whose value differs, so an idle monster costs nothing on the wire.
 * The simulation never sees the schema.
 */
export class Projection {
  private speechSeq = 0;
  /** Entities that showed an attack animation last step, to reset. */
  private attacking: number[] = [];
  /** The room coordinator's actor id once found (-1: not looked for yet; 0: none so far). */
  private coordinator = -1;
  /** Whether some client can see actor `id`; everything counts as seen until {@link watchWith} says otherwise. */
  private watched: (id: number) => boolean = () => true;
  /** Entities whose body changed while no client could see them: copied when one comes to see them. */
  private readonly stale = new Set<number>();

  constructor(private readonly world: World, private readonly state: WorldState) {}

  /**
   * Copy bodies only for entities some client can see (`watched`), and remember the rest as stale until
   * {@link freshen}: in a large world most bodies are far from every player, and writing their fields into
   * the state would only record changes that no view sends.
   */
  watchWith(watched: (id: number) => boolean): void {
    this.watched = watched;
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
    const watched = this.watched;
    for (const id of report.changed) {
      if (!watched(id)) {
        this.stale.add(id);
        continue;
      }
      const actor = this.world.actors.get(id);
      const e = entities.get(String(id));
      if (actor?.body && e) this.copyBody(actor, e);
    }
    for (const a of report.attacks) {
      if (!watched(a.attacker)) continue;
      const e = entities.get(String(a.attacker));
      if (e && e.anim !== 'attack' && e.anim !== 'dead') {
        e.anim = 'attack';
        this.attacking.push(a.attacker);
      }
    }
    for (const ev of report.events) this.say(ev.actor, ev.event.kind, ev.event.text);
    this.coordinator = projectPlans(this.world, this.state, this.coordinator, report.spawned);
    this.state.meta.tick = this.world.tick;
    return report.removed;
  }

  /** Append a speech line (and drop the oldest past the limit). */
  say(actor: number, kind: string, text: string): void {
    const speech = this.state.speech;
    speech.push(new SpeechState({ seq: ++this.speechSeq, actor, kind, text, tick: this.world.tick }));
    while (speech.length > SPEECH_KEPT) speech.shift();
  }

  private add(actor: Actor): void {
    if (!actor.body || this.state.entities.has(String(actor.id))) return;
    const tags = actor.tags ?? {};
    const e = new EntityState({
      id: actor.id,
      kind: actor.kind,
      species: String(tags.species ?? ''),
      name: String(tags.name ?? ''),
      pack: String(tags.pack ?? ''),
    });
    this.copyBody(actor, e);
    this.state.entities.set(String(actor.id), e);
  }

  private copyBody(actor: Actor, e: EntityState): void {
    const b = actor.body;
    if (!b) return;
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
    const anim = this.animOf(actor);
    if (e.anim !== anim && e.anim !== 'attack') e.anim = anim;
    else if (e.anim === 'attack' && anim === 'dead') e.anim = anim;
  }

  private animOf(actor: Actor | undefined): string {
    const b = actor?.body;
    if (!b) return 'idle';
    if (!b.alive) return 'dead';
    return b.vx !== 0 || b.vy !== 0 ? 'walk' : 'idle';
  }
}
